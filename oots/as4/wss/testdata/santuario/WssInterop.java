// WssInterop is the Apache Santuario side of the wss interoperability
// tests. The Go tests compile it with javac into a temporary folder and run
// it with xmlsec.jar on the class path:
//
//   verify  ENVELOPE CERT.pem [CID TYPE FILE]...        check our signature, attachments included
//   decrypt ENVELOPE KEY.pem OUTDIR [CID FILE]...       decrypt our attachments to OUTDIR/CID
//   sign    IN OUT KEY.pem CERT.pem [CID TYPE FILE]...  sign as WSS4J would (with InclusiveNamespaces)
//   sign-ts                                           the same with a wsu:Timestamp, signed too
//   encrypt IN OUT CERT.pem [CID TYPE FILE OUTFILE]...  encrypt attachments for CERT
//   encrypt-ski, encrypt-bst                          the same, naming CERT by subject key
//                                                     identifier or by a BinarySecurityToken
//   recipient ENVELOPE CERT.pem                       resolve the EncryptedKey's KeyInfo as WSS4J
//                                                     does (X500Principal issuer and serial, SKI,
//                                                     or BST reference) and check it names CERT
//
// It exits 0 on success and 1 with a message on stderr otherwise.
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.apache.xml.security.Init;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.encryption.EncryptedKey;
import org.apache.xml.security.encryption.XMLCipher;
import org.apache.xml.security.signature.Reference;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.signature.XMLSignatureInput;
import org.apache.xml.security.transforms.Transform;
import org.apache.xml.security.transforms.TransformSpi;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.transforms.params.InclusiveNamespaces;
import org.apache.xml.security.utils.resolver.ResourceResolverContext;
import org.apache.xml.security.utils.resolver.ResourceResolverException;
import org.apache.xml.security.utils.resolver.ResourceResolverSpi;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

public class WssInterop {
    static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    static final String EBMS = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/";
    static final String WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String WSSE11 = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd";
    static final String WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String XMLNS = "http://www.w3.org/2000/xmlns/";
    static final String SWA = "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1";
    static final String SWA_CONTENT_SIG = SWA + "#Attachment-Content-Signature-Transform";
    static final String SWA_CIPHERTEXT = SWA + "#Attachment-Ciphertext-Transform";
    static final String SWA_CONTENT_ONLY = SWA + "#Attachment-Content-Only";
    static final String X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3";
    static final String B64 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";
    static final String AES128GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm";
    static final String RSAOAEP11 = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
    static final String MGF1SHA256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256";
    static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    /** One attachment: its Content-ID, MIME type and the file with its bytes. */
    record Att(String cid, String type, Path file) {}

    /** Resolves cid: references to the attachment files given on the command line. */
    public static class CidResolver extends ResourceResolverSpi {
        final Map<String, Att> atts;
        CidResolver(Map<String, Att> atts) { this.atts = atts; }
        @Override public boolean engineCanResolveURI(ResourceResolverContext c) {
            return c.uriToResolve != null && c.uriToResolve.startsWith("cid:");
        }
        @Override public XMLSignatureInput engineResolveURI(ResourceResolverContext c) throws ResourceResolverException {
            Att a = atts.get(c.uriToResolve.substring(4));
            if (a == null) {
                throw new ResourceResolverException("no attachment " + c.uriToResolve, c.uriToResolve, c.baseUri);
            }
            try {
                XMLSignatureInput in = new XMLSignatureInput(Files.readAllBytes(a.file()));
                in.setMIMEType(a.type());
                in.setSourceURI(c.uriToResolve);
                return in;
            } catch (IOException e) {
                throw new ResourceResolverException(e, c.uriToResolve, c.baseUri, "reading attachment");
            }
        }
    }

    /** The SwA profile's Attachment-Content-Signature-Transform (section 5.4). */
    public static class ContentTransform extends TransformSpi {
        @Override protected String engineGetURI() { return SWA_CONTENT_SIG; }
        @Override protected XMLSignatureInput enginePerformTransform(XMLSignatureInput input, OutputStream os, Transform t)
                throws IOException {
            byte[] in = input.getOctetStream().readAllBytes();
            // The MIME type rules of WSS4J, which Domibus uses.
            String type = input.getMIMEType() == null ? "" : input.getMIMEType().trim().toLowerCase();
            byte[] out;
            try {
                if (type.startsWith("text/xml") || type.startsWith("application/xml")
                        || ((type.startsWith("application/") || type.startsWith("image/")) && type.contains("+xml"))) {
                    out = Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS).canonicalize(in);
                } else if (type.startsWith("text/")) {
                    out = crlf(in);
                } else {
                    out = in;
                }
            } catch (Exception e) {
                throw new IOException("content transform: " + e, e);
            }
            if (os != null) {
                os.write(out);
                XMLSignatureInput result = new XMLSignatureInput((byte[]) null);
                result.setOutputStream(os);
                return result;
            }
            return new XMLSignatureInput(out);
        }
    }

    static byte[] crlf(byte[] in) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                o.write('\r'); o.write('\n');
                if (i + 1 < in.length && in[i + 1] == '\n') i++;
            } else if (b == '\n') {
                o.write('\r'); o.write('\n');
            } else {
                o.write(b);
            }
        }
        return o.toByteArray();
    }

    public static void main(String[] args) {
        try {
            Init.init();
            Transform.register(SWA_CONTENT_SIG, ContentTransform.class);
            switch (args[0]) {
                case "verify" -> verify(args);
                case "decrypt" -> decrypt(args);
                case "sign", "sign-ts" -> sign(args);
                case "encrypt", "encrypt-ski", "encrypt-bst" -> encrypt(args);
                case "recipient" -> recipient(args);
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Exception e) {
            System.err.println("santuario: " + e);
            Throwable c = e.getCause();
            while (c != null) { System.err.println("  caused by: " + c); c = c.getCause(); }
            System.exit(1);
        }
    }

    static void verify(String[] a) throws Exception {
        Document doc = parse(a[1]);
        X509Certificate expected = cert(a[2]);
        Map<String, Att> atts = atts(a, 3, 3);
        markIds(doc);
        Element sigEl = only(doc, DS, "Signature");
        XMLSignature sig = new XMLSignature(sigEl, "", true);
        sig.addResourceResolver(new CidResolver(atts));
        X509Certificate signer = tokenCert(doc, sigEl);
        if (!signer.equals(expected)) throw new Exception("token certificate is not the expected signer");
        boolean ok = sig.checkSignatureValue(signer);
        int n = sig.getSignedInfo().getLength();
        for (int i = 0; i < n; i++) {
            Reference r = sig.getSignedInfo().item(i);
            System.out.println("reference " + r.getURI() + " " + (r.verify() ? "ok" : "DIGEST MISMATCH"));
            ok &= r.verify();
        }
        if (!ok) throw new Exception("signature does not verify");
        System.out.println("verified " + n + " references, signer " + signer.getSubjectX500Principal());
    }

    static void decrypt(String[] a) throws Exception {
        Document doc = parse(a[1]);
        PrivateKey key = privateKey(a[2]);
        Path outDir = Paths.get(a[3]);
        Map<String, Att> atts = new HashMap<>();
        for (int i = 4; i + 1 < a.length; i += 2) atts.put(a[i], new Att(a[i], "", Paths.get(a[i + 1])));
        Element ekEl = only(doc, XENC, "EncryptedKey");
        XMLCipher unwrap = XMLCipher.getInstance();
        unwrap.init(XMLCipher.UNWRAP_MODE, key);
        EncryptedKey ek = unwrap.loadEncryptedKey(doc, ekEl);
        Key content = unwrap.decryptKey(ek, AES128GCM);
        NodeList eds = doc.getElementsByTagNameNS(XENC, "EncryptedData");
        for (int i = 0; i < eds.getLength(); i++) {
            Element ed = (Element) eds.item(i);
            Element em = first(ed, XENC, "EncryptionMethod");
            if (!AES128GCM.equals(em.getAttribute("Algorithm"))) throw new Exception("unexpected data algorithm " + em.getAttribute("Algorithm"));
            if (!SWA_CONTENT_ONLY.equals(ed.getAttribute("Type"))) throw new Exception("unexpected EncryptedData Type");
            Element cr = first(ed, XENC, "CipherReference");
            Element tr = first(cr, DS, "Transform");
            if (!SWA_CIPHERTEXT.equals(tr.getAttribute("Algorithm"))) throw new Exception("missing ciphertext transform");
            String cid = cr.getAttribute("URI").substring(4);
            Att att = atts.get(cid);
            if (att == null) throw new Exception("no ciphertext file for " + cid);
            byte[] all = Files.readAllBytes(att.file());
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(content.getEncoded(), "AES"), new GCMParameterSpec(128, all, 0, 12));
            byte[] plain = c.doFinal(all, 12, all.length - 12);
            Files.write(outDir.resolve(cid), plain);
            System.out.println("decrypted " + cid + " (" + plain.length + " bytes, " + ed.getAttribute("MimeType") + ")");
        }
    }

    static void sign(String[] a) throws Exception {
        Document doc = parse(a[1]);
        PrivateKey key = privateKey(a[3]);
        X509Certificate crt = cert(a[4]);
        Map<String, Att> atts = atts(a, 5, 3);
        Element root = doc.getDocumentElement();
        Element header = first(root, SOAP12, "Header");
        Element body = first(root, SOAP12, "Body");
        Element messaging = first(header, EBMS, "Messaging");
        setWsuId(messaging, "id-messaging");
        setWsuId(body, "id-body");
        Element sec = security(doc, header);
        Element bst = doc.createElementNS(WSSE, "wsse:BinarySecurityToken");
        bst.setAttribute("EncodingType", B64);
        bst.setAttribute("ValueType", X509V3);
        bst.setAttributeNS(WSU, "wsu:Id", "X509-santuario");
        bst.setIdAttributeNS(WSU, "Id", true);
        bst.setTextContent(Base64.getEncoder().encodeToString(crt.getEncoded()));
        sec.appendChild(bst);
        String[] signedIds = {"id-messaging", "id-body"};
        if (a[0].equals("sign-ts")) {
            Element ts = doc.createElementNS(WSU, "wsu:Timestamp");
            setWsuId(ts, "TS-santuario");
            java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Element created = doc.createElementNS(WSU, "wsu:Created");
            created.setTextContent(now.toString());
            Element expires = doc.createElementNS(WSU, "wsu:Expires");
            expires.setTextContent(now.plusSeconds(300).toString());
            ts.appendChild(created); ts.appendChild(expires);
            sec.insertBefore(ts, sec.getFirstChild());
            signedIds = new String[] {"TS-santuario", "id-messaging", "id-body"};
        }
        // Like WSS4J, name the inherited prefixes in InclusiveNamespaces lists,
        // so the verifier must honour them (xsd is declared but unused).
        Element sm = doc.createElementNS(DS, "ds:SignatureMethod");
        sm.setAttribute("Algorithm", XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256);
        Element cm = doc.createElementNS(DS, "ds:CanonicalizationMethod");
        cm.setAttribute("Algorithm", Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        cm.appendChild(new InclusiveNamespaces(doc, "env xsd").getElement());
        XMLSignature sig = new XMLSignature(doc, "", sm, cm);
        sec.appendChild(sig.getElement());
        sig.addResourceResolver(new CidResolver(atts));
        for (String id : signedIds) {
            Transforms t = new Transforms(doc);
            t.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS, new InclusiveNamespaces(doc, "xsd").getElement());
            sig.addDocument("#" + id, t, SHA256);
        }
        for (Att att : atts.values()) {
            Transforms t = new Transforms(doc);
            t.addTransform(SWA_CONTENT_SIG);
            sig.addDocument("cid:" + att.cid(), t, SHA256);
        }
        Element str = doc.createElementNS(WSSE, "wsse:SecurityTokenReference");
        Element ref = doc.createElementNS(WSSE, "wsse:Reference");
        ref.setAttribute("URI", "#X509-santuario");
        ref.setAttribute("ValueType", X509V3);
        str.appendChild(ref);
        sig.getKeyInfo().addUnknownElement(str);
        sig.sign(key);
        write(doc, a[2]);
        System.out.println("signed with " + sig.getSignedInfo().getLength() + " references");
    }

    static void encrypt(String[] a) throws Exception {
        Document doc = parse(a[1]);
        X509Certificate recipient = cert(a[3]);
        Element header = first(doc.getDocumentElement(), SOAP12, "Header");
        Element sec = security(doc, header);
        KeyGenerator kg = KeyGenerator.getInstance("AES");
        kg.init(128);
        SecretKey content = kg.generateKey();
        XMLCipher wrap = XMLCipher.getInstance(RSAOAEP11, null, SHA256);
        wrap.init(XMLCipher.WRAP_MODE, recipient.getPublicKey());
        EncryptedKey ek = wrap.encryptKey(doc, content, MGF1SHA256, null);
        Element ekEl = wrap.martial(doc, ek);
        ekEl.setAttribute("Id", "EK-santuario");
        Element ki = doc.createElementNS(DS, "ds:KeyInfo");
        Element str = doc.createElementNS(WSSE, "wsse:SecurityTokenReference");
        Element bst = null;
        switch (a[0]) {
            case "encrypt-ski" -> {
                byte[] ext = recipient.getExtensionValue("2.5.29.14");
                if (ext == null) throw new Exception("the recipient certificate has no subject key identifier");
                // OCTET STRING (extension value) wrapping OCTET STRING (the key id)
                byte[] ski = java.util.Arrays.copyOfRange(ext, 4, ext.length);
                Element kid = doc.createElementNS(WSSE, "wsse:KeyIdentifier");
                kid.setAttribute("EncodingType", B64);
                kid.setAttribute("ValueType", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier");
                kid.setTextContent(Base64.getEncoder().encodeToString(ski));
                str.appendChild(kid);
            }
            case "encrypt-bst" -> {
                bst = doc.createElementNS(WSSE, "wsse:BinarySecurityToken");
                bst.setAttribute("EncodingType", B64);
                bst.setAttribute("ValueType", X509V3);
                setWsuId(bst, "X509-santuario");
                bst.setTextContent(Base64.getEncoder().encodeToString(recipient.getEncoded()));
                Element ref = doc.createElementNS(WSSE, "wsse:Reference");
                ref.setAttribute("URI", "#X509-santuario");
                ref.setAttribute("ValueType", X509V3);
                str.appendChild(ref);
            }
            default -> {
                Element x509 = doc.createElementNS(DS, "ds:X509Data");
                Element is = doc.createElementNS(DS, "ds:X509IssuerSerial");
                Element in = doc.createElementNS(DS, "ds:X509IssuerName");
                in.setTextContent(recipient.getIssuerX500Principal().getName());
                Element sn = doc.createElementNS(DS, "ds:X509SerialNumber");
                sn.setTextContent(recipient.getSerialNumber().toString());
                is.appendChild(in); is.appendChild(sn); x509.appendChild(is); str.appendChild(x509);
            }
        }
        ki.appendChild(str);
        ekEl.insertBefore(ki, first(ekEl, XENC, "CipherData"));
        Element rl = doc.createElementNS(XENC, "xenc:ReferenceList");
        ekEl.appendChild(rl);
        Node before = sec.getFirstChild();
        sec.insertBefore(ekEl, before);
        if (bst != null) sec.insertBefore(bst, ekEl);
        SecureRandom rnd = new SecureRandom();
        int n = 0;
        for (int i = 4; i + 3 < a.length; i += 4) {
            String cid = a[i], type = a[i + 1];
            byte[] plain = Files.readAllBytes(Paths.get(a[i + 2]));
            byte[] iv = new byte[12];
            rnd.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, content, new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(plain);
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.write(iv); o.write(ct);
            Files.write(Paths.get(a[i + 3]), o.toByteArray());
            String edId = "ED-santuario-" + (n++);
            Element dr = doc.createElementNS(XENC, "xenc:DataReference");
            dr.setAttribute("URI", "#" + edId);
            rl.appendChild(dr);
            Element ed = doc.createElementNS(XENC, "xenc:EncryptedData");
            ed.setAttribute("Id", edId);
            ed.setAttribute("MimeType", type);
            ed.setAttribute("Type", SWA_CONTENT_ONLY);
            Element em = doc.createElementNS(XENC, "xenc:EncryptionMethod");
            em.setAttribute("Algorithm", AES128GCM);
            ed.appendChild(em);
            Element edKi = doc.createElementNS(DS, "ds:KeyInfo");
            Element edStr = doc.createElementNS(WSSE, "wsse:SecurityTokenReference");
            edStr.setAttributeNS(WSSE11, "wsse11:TokenType", "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey");
            Element edRef = doc.createElementNS(WSSE, "wsse:Reference");
            edRef.setAttribute("URI", "#EK-santuario");
            edStr.appendChild(edRef); edKi.appendChild(edStr); ed.appendChild(edKi);
            Element cd = doc.createElementNS(XENC, "xenc:CipherData");
            Element cr = doc.createElementNS(XENC, "xenc:CipherReference");
            cr.setAttribute("URI", "cid:" + cid);
            Element ts = doc.createElementNS(XENC, "xenc:Transforms");
            Element tr = doc.createElementNS(DS, "ds:Transform");
            tr.setAttribute("Algorithm", SWA_CIPHERTEXT);
            ts.appendChild(tr); cr.appendChild(ts); cd.appendChild(cr); ed.appendChild(cd);
            sec.insertBefore(ed, before);
        }
        write(doc, a[2]);
        System.out.println("encrypted " + n + " attachments");
    }

    /** Resolves the EncryptedKey's KeyInfo the way WSS4J's crypto does and checks it names the certificate. */
    static void recipient(String[] a) throws Exception {
        Document doc = parse(a[1]);
        X509Certificate cert = cert(a[2]);
        Element ek = only(doc, XENC, "EncryptedKey");
        Element str = first(first(ek, DS, "KeyInfo"), WSSE, "SecurityTokenReference");
        Element is = first(str, DS, "X509IssuerSerial");
        Element kid = first(str, WSSE, "KeyIdentifier");
        Element ref = first(str, WSSE, "Reference");
        String how;
        if (is != null) {
            String name = first(is, DS, "X509IssuerName").getTextContent();
            BigInteger serial = new BigInteger(first(is, DS, "X509SerialNumber").getTextContent().trim());
            if (!new javax.security.auth.x500.X500Principal(name).equals(cert.getIssuerX500Principal()))
                throw new Exception("X500Principal(\"" + name + "\") is not the issuer " + cert.getIssuerX500Principal().getName());
            if (!serial.equals(cert.getSerialNumber())) throw new Exception("serial " + serial + " is not " + cert.getSerialNumber());
            how = "issuer-serial " + name;
        } else if (kid != null) {
            byte[] ext = cert.getExtensionValue("2.5.29.14");
            byte[] ski = java.util.Arrays.copyOfRange(ext, 4, ext.length);
            if (!java.util.Arrays.equals(ski, Base64.getMimeDecoder().decode(kid.getTextContent().trim())))
                throw new Exception("subject key identifier does not match");
            how = "ski";
        } else if (ref != null) {
            markIds(doc);
            String id = ref.getAttribute("URI").substring(1);
            Element bst = doc.getElementById(id);
            if (bst == null) throw new Exception("no BinarySecurityToken " + id);
            byte[] der = Base64.getMimeDecoder().decode(bst.getTextContent());
            if (!java.util.Arrays.equals(der, cert.getEncoded())) throw new Exception("the referenced token is another certificate");
            how = "bst " + id;
        } else {
            throw new Exception("KeyInfo names no certificate");
        }
        System.out.println("recipient " + how);
    }

    static Map<String, Att> atts(String[] a, int from, int step) {
        Map<String, Att> m = new java.util.LinkedHashMap<>();
        for (int i = from; i + step - 1 < a.length; i += step) m.put(a[i], new Att(a[i], a[i + 1], Paths.get(a[i + 2])));
        return m;
    }

    static Element security(Document doc, Element header) {
        Element sec = first(header, WSSE, "Security");
        if (sec != null) return sec;
        sec = doc.createElementNS(WSSE, "wsse:Security");
        sec.setAttributeNS(XMLNS, "xmlns:wsse", WSSE);
        sec.setAttributeNS(XMLNS, "xmlns:wsu", WSU);
        String p = doc.getDocumentElement().getPrefix();
        sec.setAttributeNS(SOAP12, (p == null ? "env" : p) + ":mustUnderstand", "true");
        header.insertBefore(sec, header.getFirstChild());
        return sec;
    }

    static void setWsuId(Element el, String id) {
        el.setAttributeNS(XMLNS, "xmlns:wsu", WSU);
        el.setAttributeNS(WSU, "wsu:Id", id);
        el.setIdAttributeNS(WSU, "Id", true);
    }

    /** Declares every wsu:Id in the document as an XML ID, as WSS4J does. */
    static void markIds(Document doc) {
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element el = (Element) all.item(i);
            if (el.hasAttributeNS(WSU, "Id")) el.setIdAttributeNS(WSU, "Id", true);
        }
    }

    static X509Certificate tokenCert(Document doc, Element sig) throws Exception {
        Element ref = first(first(first(sig, DS, "KeyInfo"), WSSE, "SecurityTokenReference"), WSSE, "Reference");
        String id = ref.getAttribute("URI").substring(1);
        NodeList bsts = doc.getElementsByTagNameNS(WSSE, "BinarySecurityToken");
        for (int i = 0; i < bsts.getLength(); i++) {
            Element b = (Element) bsts.item(i);
            if (id.equals(b.getAttributeNS(WSU, "Id"))) {
                byte[] der = Base64.getMimeDecoder().decode(b.getTextContent());
                return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
            }
        }
        throw new Exception("no BinarySecurityToken " + id);
    }

    static Element only(Document doc, String ns, String local) throws Exception {
        NodeList l = doc.getElementsByTagNameNS(ns, local);
        if (l.getLength() != 1) throw new Exception(l.getLength() + " " + local + " elements, want one");
        return (Element) l.item(0);
    }

    static Element first(Element parent, String ns, String local) {
        NodeList l = parent.getElementsByTagNameNS(ns, local);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    static Document parse(String file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new File(file));
    }

    static void write(Document doc, String file) throws Exception {
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(new File(file)));
    }

    static X509Certificate cert(String pemFile) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(Paths.get(pemFile)));
    }

    static PrivateKey privateKey(String pemFile) throws Exception {
        String pem = Files.readString(Paths.get(pemFile), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
