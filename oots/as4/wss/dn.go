package wss

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"strings"
)

// issuerName writes the certificate's issuer as RFC 4514 text from its
// encoded RDN sequence (last RDN first), the form Java's
// X500Principal.getName() gives and parses back to an equal principal. Go's
// pkix.Name.String() reorders the attributes and would not match an issuer
// encoded CN first.
func issuerName(cert *x509.Certificate) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(cert.RawIssuer, &rdns); err != nil || len(rest) > 0 {
		return cert.Issuer.String()
	}
	return rdns.String()
}

// dnKeywords are the RFC 4514 attribute type keywords (and those Java
// prints) with their object identifiers.
var dnKeywords = map[string]string{
	"cn": "2.5.4.3", "c": "2.5.4.6", "l": "2.5.4.7", "st": "2.5.4.8", "street": "2.5.4.9",
	"o": "2.5.4.10", "ou": "2.5.4.11", "serialnumber": "2.5.4.5", "postalcode": "2.5.4.17",
	"dc": "0.9.2342.19200300.100.1.25", "uid": "0.9.2342.19200300.100.1.1",
	"emailaddress": "1.2.840.113549.1.9.1", "e": "1.2.840.113549.1.9.1",
	"organizationidentifier": "2.5.4.97", "givenname": "2.5.4.42", "sn": "2.5.4.4", "title": "2.5.4.12",
}

// dnAttr is one attribute of a distinguished name, normalised for
// comparison: the type as an OID, the value folded to lower case with
// runs of spaces collapsed.
type dnAttr struct{ oid, value string }

// sameIssuer reports whether name, an RFC 4514 distinguished name as a
// peer wrote it in X509IssuerName, is the issuer encoded in cert: the same
// RDNs in the same order, attribute types compared as OIDs and values
// without regard to case or repeated spaces.
func sameIssuer(name string, cert *x509.Certificate) bool {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(cert.RawIssuer, &rdns); err != nil || len(rest) > 0 {
		return false
	}
	var want [][]dnAttr
	for i := len(rdns) - 1; i >= 0; i-- { // RFC 4514 writes the last RDN first
		var set []dnAttr
		for _, a := range rdns[i] {
			set = append(set, dnAttr{a.Type.String(), foldDNValue(certValue(a.Value))})
		}
		want = append(want, set)
	}
	got, ok := parseDN(name)
	if !ok || len(got) != len(want) {
		return false
	}
	for i := range got {
		if !sameSet(got[i], want[i]) {
			return false
		}
	}
	return true
}

func sameSet(a, b []dnAttr) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		found := false
		for _, y := range b {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

// certValue is an attribute value as text; values that are not strings
// are compared by their DER encoding as hex, as RFC 4514 writes them.
func certValue(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	der, err := asn1.Marshal(v)
	if err != nil {
		return ""
	}
	return "#" + hex.EncodeToString(der)
}

func foldDNValue(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// parseDN splits an RFC 4514 distinguished name into its RDNs (as
// written, first RDN first), each a set of attributes. It understands
// backslash escapes (\, and \2C), quoted values, '+' within an RDN and ';'
// as an old separator; ok is false when the text is not a DN.
func parseDN(s string) (rdns [][]dnAttr, ok bool) {
	var set []dnAttr
	var typ, val strings.Builder
	inValue, quoted := false, false
	flush := func() bool {
		t := strings.ToLower(strings.TrimSpace(typ.String()))
		if t == "" {
			return false
		}
		oid, known := dnKeywords[t]
		if !known {
			oid = strings.TrimPrefix(t, "oid.")
			if _, err := parseOID(oid); err != nil {
				return false
			}
		}
		set = append(set, dnAttr{oid, foldDNValue(val.String())})
		typ.Reset()
		val.Reset()
		inValue = false
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case !inValue && c == '=':
			inValue = true
		case !inValue:
			typ.WriteByte(c)
		case c == '"':
			quoted = !quoted
		case c == '\\' && i+1 < len(s):
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b, _ := hex.DecodeString(s[i+1 : i+3])
				val.Write(b)
				i += 2
			} else {
				val.WriteByte(s[i+1])
				i++
			}
		case quoted:
			val.WriteByte(c)
		case c == '+':
			if !flush() {
				return nil, false
			}
		case c == ',' || c == ';':
			if !flush() {
				return nil, false
			}
			rdns = append(rdns, set)
			set = nil
		default:
			val.WriteByte(c)
		}
	}
	if quoted || !flush() {
		return nil, false
	}
	return append(rdns, set), true
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// parseOID checks a dotted object identifier.
func parseOID(s string) (asn1.ObjectIdentifier, error) {
	var oid asn1.ObjectIdentifier
	for _, part := range strings.Split(s, ".") {
		n := 0
		if part == "" {
			return nil, asn1.SyntaxError{Msg: "empty OID arc"}
		}
		for _, c := range part {
			if c < '0' || c > '9' {
				return nil, asn1.SyntaxError{Msg: "OID arc is not a number"}
			}
			n = n*10 + int(c-'0')
		}
		oid = append(oid, n)
	}
	return oid, nil
}
