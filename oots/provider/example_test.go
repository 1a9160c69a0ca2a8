package provider_test

import (
	"log"
	"net/http"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/provider"
)

// Example wires the demo member state: two AS4 listeners at the endpoints
// of the demo P-Modes and the preview space on https.
func Example() {
	setup, err := demo.New(demo.Options{})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := demodir.Directory()
	if err != nil {
		log.Fatal(err)
	}
	p, err := provider.New(provider.Config{
		PModes: setup.Provider.Config, Identity: setup.Provider.Identity, Trust: setup.Provider.Trust,
		Directory: dir, Dir: "/var/lib/vienreiz/provider",
		PreviewURL: "https://127.0.0.1:8493/preview",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	for i, addr := range []string{"127.0.0.1:8491", "127.0.0.1:8492"} {
		go func() { log.Print(as4.NewServer(addr, p.AS4Handlers()[i], nil).ListenAndServe()) }()
	}
	preview := &http.Server{Addr: "127.0.0.1:8493", Handler: p.PreviewHandler()}
	log.Print(preview.ListenAndServeTLS("cert.pem", "key.pem"))
}
