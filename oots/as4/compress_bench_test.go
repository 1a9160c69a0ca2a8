package as4

import (
	stdgzip "compress/gzip"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// BenchmarkGzip compares klauspost/compress/gzip (used) with the standard
// library on 1 MiB of evidence-like XML, the DESIGN.md condition for using it.
func BenchmarkGzip(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		fmt.Fprintf(&sb, "<rim:Slot name=\"Field%d\"><rim:Value>Vienreiz %d evidence value</rim:Value></rim:Slot>\n", i%97, i)
	}
	data := sb.String()
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
		for b.Loop() {
			zw.Reset(io.Discard)
			io.Copy(zw, strings.NewReader(data))
			zw.Close()
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		zw, _ := stdgzip.NewWriterLevel(io.Discard, stdgzip.DefaultCompression)
		for b.Loop() {
			zw.Reset(io.Discard)
			io.Copy(zw, strings.NewReader(data))
			zw.Close()
		}
	})
}
