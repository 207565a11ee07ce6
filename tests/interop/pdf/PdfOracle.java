// PdfOracle: an independent oracle for signed and sealed PDF files, on Apache PDFBox 2 and
// BouncyCastle (Debian's libpdfbox2-java, libbcprov-java, libbcpkix-java). It shares no code
// with eseal's C++ pdf module: PDFBox finds the signature dictionaries, BC checks the
// cryptography, and the ByteRange rules are checked here from the raw file bytes.
//
//   check FILE.pdf [--password PW] [--expect N]
//       One JSON line per signature dictionary PDFBox finds (PDDocument.getSignatureDictionaries),
//       then one summary line. The format is decided by what /Contents holds, not by /SubFilter:
//         "cms"     CMS SignedData (outer OID 1.2.840.113549.1.7.2 or GM/T 0010's
//                   1.2.156.10197.6.1.4.2.2): messageDigest = digest (SM3, SHA-256, ...) of the
//                   ByteRange bytes; the SignerInfo signature verifies with the signer certificate
//                   from the SignedData (SM3withSM2 with the default ID 1234567812345678 for SM2),
//                   checked both by hand over the signed attributes and by BC's
//                   SignerInformation.verify. A detached signature is required unless the
//                   encapsulated content is the digest of (or equal to) the ByteRange bytes.
//         "rfc3161" a document timestamp (eContentType id-ct-TSTInfo): imprint = digest of the
//                   ByteRange bytes and BC's TimeStampToken.validate with the token's certificate.
//         "ses"     a GB/T 38540 (v4/v5) or GM/T 0031 (v1) SES_Signature: TBS_Sign.dataHash =
//                   SM3(ByteRange bytes), the signature over DER(TBS_Sign) verifies with the
//                   public key of the signer certificate (SM3withSM2, default ID), and the TBS_Sign
//                   bytes are DER as BouncyCastle re-encodes them.
//         "unknown" anything else: never valid.
//       A signature-timestamp (CMS unsigned attribute 1.2.840.113549.1.9.16.2.14, or SES timeStamp
//       [0]) must have imprint = digest of the signature value and a token that BC validates.
//       The ByteRange must be [0 a b c] with the gap exactly this dictionary's /Contents hex
//       string (from '<' to '>'), and b+c must be the file length for the last signature and the
//       end of a revision (%%EOF plus its end of line) for an earlier one. After the DER value,
//       /Contents may hold only zero bytes (padding).
//       Exit 0 when every signature is valid (and there are N of them with --expect N), 1 when any
//       is not, 2 on a usage error or an unreadable file.
//   sign IN.pdf OUT.pdf KEY.pem CERT.pem [--visible] [--field NAME] [--ses] [--timestamp] [--gm-oid] [--password PW]
//       Signs with PDFBox + BC: /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached, /Contents
//       = detached CMS SignedData with SM2/SM3 (digest 1.2.156.10197.1.401, signature
//       1.2.156.10197.1.501, signed attributes contentType, signingTime, messageDigest,
//       CMSAlgorithmProtection; the signer certificate included), written as an incremental update
//       (PDDocument.saveIncremental), so signing an output again appends a second signature.
//       --visible adds a widget on page 1 whose appearance draws a red frame and text; without it
//       the widget has the rectangle [0 0 0 0] (both are listed in page 1's /Annots). --field
//       names the field (default: PDFBox's SignatureN).
//       --ses puts a GB/T 38540 v4 SES_Signature in /Contents instead (a test seal made here,
//       dataHash = SM3 of the ByteRange bytes, propertyInfo names the ByteRange and the field;
//       the same key signs as seal maker), to exercise the SES path of check.
//       --timestamp adds a signature timestamp from a throwaway SM2 TSA made here (BC's
//       TimeStampTokenGenerator; imprint = SM3 of the signature value): the CMS unsigned attribute
//       1.2.840.113549.1.9.16.2.14, or the SES timeStamp [0]. --gm-oid writes the CMS under the
//       GM/T 0010 content type 1.2.156.10197.6.1.4.2.2 instead of PKCS#7's.
//       KEY.pem: PKCS#8 (or SEC1) PEM SM2 private key; CERT.pem: PEM X.509 certificate.
//       Exit 0 written, 2 usage error or unreadable input.
//
// Run as a single-file program (Java 11+, needs the JDK's compiler module):
//   CP=/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/commons-logging.jar
//   CP=$CP:/usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar
//   java -cp $CP tests/interop/pdf/PdfOracle.java check signed.pdf
import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.SignatureOptions;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.apache.pdfbox.pdmodel.PDResources;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultCMSSignatureAlgorithmNameGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

public class PdfOracle {
  static final String OID_PKCS7_SIGNED = "1.2.840.113549.1.7.2";
  static final String OID_GM_SIGNED = "1.2.156.10197.6.1.4.2.2";
  static final String OID_PKCS7_DATA = "1.2.840.113549.1.7.1";
  static final String OID_GM_DATA = "1.2.156.10197.6.1.4.2.1";
  static final String OID_TSTINFO = "1.2.840.113549.1.9.16.1.4";
  static final String OID_SIG_TIMESTAMP = "1.2.840.113549.1.9.16.2.14";
  static final String OID_SM3 = "1.2.156.10197.1.401";
  static final String OID_SM2_SM3 = "1.2.156.10197.1.501";
  static final String OID_SM2 = "1.2.156.10197.1.301";
  static final String OID_SM2_1 = "1.2.156.10197.1.301.1";

  static class UsageError extends Exception {
    UsageError(String m) { super(m); }
  }

  // PDFBox logs through commons-logging to java.util.logging; its font-cache and
  // standard-14-font fallback warnings say nothing about signatures. Held here so that the
  // level sticks (java.util.logging keeps loggers weakly).
  static final java.util.logging.Logger FONT_LOG = java.util.logging.Logger.getLogger("org.apache.pdfbox.pdmodel.font");

  public static void main(String[] args) {
    FONT_LOG.setLevel(java.util.logging.Level.SEVERE);
    Security.addProvider(new BouncyCastleProvider());
    int rc;
    try {
      if (args.length < 1) throw new UsageError("no command");
      switch (args[0]) {
        case "check": rc = check(Arrays.copyOfRange(args, 1, args.length)); break;
        case "sign": rc = sign(Arrays.copyOfRange(args, 1, args.length)); break;
        default: throw new UsageError("unknown command " + args[0]);
      }
    } catch (UsageError e) {
      System.err.println("PdfOracle: " + e.getMessage());
      System.err.println("usage: PdfOracle check FILE.pdf [--password PW] [--expect N]");
      System.err.println("       PdfOracle sign IN.pdf OUT.pdf KEY.pem CERT.pem [--visible] [--field NAME] [--ses] [--timestamp] [--gm-oid] [--password PW]");
      rc = 2;
    } catch (Exception e) {
      System.err.println("PdfOracle: " + e);
      rc = 2;
    }
    System.exit(rc);
  }

  // ---------------------------------------------------------------- check

  static int check(String[] a) throws Exception {
    String file = null, password = "";
    int expect = -1;
    for (int i = 0; i < a.length; i++) {
      if (a[i].equals("--password") && i + 1 < a.length) password = a[++i];
      else if (a[i].equals("--expect") && i + 1 < a.length) {
        try { expect = Integer.parseInt(a[++i]); } catch (NumberFormatException e) { throw new UsageError("--expect N"); }
      } else if (a[i].startsWith("--")) throw new UsageError("unknown option " + a[i]);
      else if (file == null) file = a[i];
      else throw new UsageError("extra argument " + a[i]);
    }
    if (file == null) throw new UsageError("check needs FILE.pdf");
    byte[] pdf = Files.readAllBytes(Paths.get(file));
    List<Long> revEnds = revisionEnds(pdf);

    List<Map<String, Object>> results = new ArrayList<>();
    try (PDDocument doc = PDDocument.load(new File(file), password)) {
      List<PDSignature> sigs = doc.getSignatureDictionaries();
      // field names by signature dictionary
      Map<COSBase, String> fieldOf = new java.util.IdentityHashMap<>();
      for (PDSignatureField f : doc.getSignatureFields()) {
        COSBase v = f.getCOSObject().getDictionaryObject(COSName.V);
        if (v != null) fieldOf.put(v, f.getFullyQualifiedName());
      }
      long lastEnd = -1;
      for (PDSignature s : sigs) {
        int[] br = s.getByteRange();
        if (br != null && br.length == 4) lastEnd = Math.max(lastEnd, (long) br[2] + br[3]);
      }
      int index = 0;
      for (PDSignature s : sigs) {
        Map<String, Object> r = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        r.put("index", index++);
        r.put("field", fieldOf.get(s.getCOSObject()));
        r.put("filter", s.getFilter());
        r.put("subfilter", s.getSubFilter());
        checkOne(pdf, revEnds, lastEnd, s, r, errors);
        r.put("errors", errors);
        results.add(r);
        System.out.println(json(r));
      }
    }
    int valid = 0;
    for (Map<String, Object> r : results) if (Boolean.TRUE.equals(r.get("valid"))) valid++;
    boolean ok = valid == results.size() && (expect < 0 || expect == results.size());
    Map<String, Object> sum = new LinkedHashMap<>();
    sum.put("summary", true);
    sum.put("file", file);
    sum.put("file_length", (long) pdf.length);
    sum.put("revisions", revEnds.size());
    sum.put("signatures", results.size());
    sum.put("valid", valid);
    sum.put("invalid", results.size() - valid);
    if (expect >= 0) sum.put("expected", expect);
    sum.put("all_valid", ok);
    System.out.println(json(sum));
    return ok ? 0 : 1;
  }

  // Offsets just after each %%EOF marker, and after the end-of-line that follows it. Each is a
  // place where a revision may end (a signature's b+c).
  static List<Long> revisionEnds(byte[] pdf) {
    byte[] m = "%%EOF".getBytes(StandardCharsets.US_ASCII);
    List<Long> markers = new ArrayList<>();
    outer:
    for (int i = 0; i + m.length <= pdf.length; i++) {
      for (int j = 0; j < m.length; j++) if (pdf[i + j] != m[j]) continue outer;
      int e = i + m.length;
      markers.add((long) e);
    }
    List<Long> out = new ArrayList<>();
    for (long e : markers) {
      long end = e;
      if (end < pdf.length && pdf[(int) end] == '\r') end++;
      if (end < pdf.length && pdf[(int) end] == '\n') end++;
      out.add(end);
    }
    return out;
  }

  // The offset just after "%%EOF" for a revision end that may include the end of line.
  static long eofMarkerEnd(byte[] pdf, long e) {
    long p = e;
    while (p > 0 && (pdf[(int) p - 1] == '\n' || pdf[(int) p - 1] == '\r')) p--;
    return p;
  }

  static boolean isRevisionEnd(List<Long> revEnds, byte[] pdf, long end) {
    for (long e : revEnds) if (e == end || eofMarkerEnd(pdf, e) == end) return true;
    return false;
  }

  static void checkOne(byte[] pdf, List<Long> revEnds, long lastEnd, PDSignature s,
                       Map<String, Object> r, List<String> errors) {
    int[] br = s.getByteRange();
    List<Long> brList = new ArrayList<>();
    if (br != null) for (int v : br) brList.add((long) v);
    r.put("byte_range", br == null ? null : brList);
    r.put("file_length", (long) pdf.length);
    boolean brOk = false, gapIsContents = false, covers = false;
    byte[] signed = null;
    long end = -1;
    if (br == null || br.length != 4) {
      errors.add("ByteRange is missing or does not have exactly 4 numbers (one gap)");
    } else {
      long o1 = br[0], l1 = br[1], o2 = br[2], l2 = br[3];
      end = o2 + l2;
      if (o1 != 0) errors.add("ByteRange does not start at 0");
      else if (l1 <= 0 || l2 < 0 || o2 <= l1) errors.add("ByteRange numbers out of order");
      else if (end > pdf.length) errors.add("ByteRange goes past the end of the file");
      else {
        brOk = true;
        signed = new byte[(int) (l1 + l2)];
        System.arraycopy(pdf, 0, signed, 0, (int) l1);
        System.arraycopy(pdf, (int) o2, signed, (int) l1, (int) l2);
        // the gap: exactly '<' hex '>' and the same bytes as this dictionary's /Contents
        int gs = (int) l1, ge = (int) o2; // [gs, ge)
        byte[] gapBytes = null;
        if (pdf[gs] == '<' && pdf[ge - 1] == '>' && ge - gs >= 2) {
          ByteArrayOutputStream hex = new ByteArrayOutputStream();
          boolean allHex = ((ge - gs - 2) % 2) == 0;
          for (int i = gs + 1; i < ge - 1 && allHex; i += 2) {
            int hi = Character.digit(pdf[i], 16), lo = Character.digit(pdf[i + 1], 16);
            if (hi < 0 || lo < 0) allHex = false;
            else hex.write(hi * 16 + lo);
          }
          if (allHex) gapBytes = hex.toByteArray();
        }
        COSBase c = s.getCOSObject().getDictionaryObject(COSName.CONTENTS);
        byte[] dictContents = c instanceof COSString ? ((COSString) c).getBytes() : null;
        if (gapBytes == null) errors.add("the ByteRange gap is not one hex string <...>");
        else if (dictContents == null) errors.add("the signature dictionary has no /Contents string");
        else if (!Arrays.equals(gapBytes, dictContents)) errors.add("the ByteRange gap is not this dictionary's /Contents");
        else gapIsContents = true;
        if (end == lastEnd) {
          covers = end == pdf.length;
          if (!covers) errors.add("the last signature does not cover the file: " + (pdf.length - end) + " bytes after it are unsigned");
        } else {
          covers = isRevisionEnd(revEnds, pdf, end);
          if (!covers) errors.add("b+c (" + end + ") is not the end of a revision (%%EOF)");
        }
      }
    }
    r.put("gap_is_contents", gapIsContents);
    r.put("signed_end", end);
    // the revision the signed bytes end in: 1 + the number of %%EOF markers before `end`
    int rev = 1;
    for (long e : revEnds) if (e < end) rev++;
    r.put("revision", end < 0 ? null : Math.min(rev, Math.max(1, revEnds.size())));
    r.put("covers_whole_file", brOk && gapIsContents && covers);

    COSBase c = s.getCOSObject().getDictionaryObject(COSName.CONTENTS);
    byte[] contents = c instanceof COSString ? ((COSString) c).getBytes() : new byte[0];
    boolean cryptoOk = false;
    ASN1Primitive obj = null;
    ByteArrayInputStream bis = new ByteArrayInputStream(contents);
    try (ASN1InputStream in = new ASN1InputStream(bis)) {
      obj = in.readObject();
    } catch (Exception e) {
      obj = null;
    }
    // /Contents is the DER value, then zero padding up to the reserved size
    boolean paddingOk = true;
    if (obj != null) {
      int used = contents.length - bis.available();
      r.put("contents_length", used);
      r.put("contents_reserved", contents.length);
      for (int i = used; i < contents.length; i++) if (contents[i] != 0) paddingOk = false;
      if (!paddingOk) errors.add("non-zero bytes after the signature value in /Contents");
    }
    r.put("padding_ok", paddingOk);
    String format = "unknown";
    if (obj instanceof ASN1Sequence) {
      ASN1Sequence seq = (ASN1Sequence) obj;
      if (seq.size() >= 1 && seq.getObjectAt(0) instanceof ASN1ObjectIdentifier) {
        String oid = seq.getObjectAt(0).toString();
        if (oid.equals(OID_PKCS7_SIGNED) || oid.equals(OID_GM_SIGNED)) {
          format = "cms";
          r.put("content_info_oid", oid);
        }
      } else if (seq.size() >= 2 && seq.getObjectAt(0) instanceof ASN1Sequence
                 && ((ASN1Sequence) seq.getObjectAt(0)).size() >= 1
                 && ((ASN1Sequence) seq.getObjectAt(0)).getObjectAt(0) instanceof ASN1Integer) {
        format = "ses";
      }
    }
    r.put("format", format);
    try {
      if (format.equals("cms")) cryptoOk = checkCms(contents, (ASN1Sequence) obj, signed, r, errors);
      else if (format.equals("ses")) cryptoOk = checkSes(contents, (ASN1Sequence) obj, signed, r, errors);
      else errors.add("/Contents is neither CMS SignedData nor an SES_Signature");
    } catch (Exception e) {
      errors.add(format + ": " + e);
      cryptoOk = false;
    }
    r.put("valid", brOk && gapIsContents && covers && paddingOk && cryptoOk && signed != null);
  }

  static String digestName(String oid) {
    switch (oid) {
      case OID_SM3: return "SM3";
      case "2.16.840.1.101.3.4.2.1": return "SHA-256";
      case "2.16.840.1.101.3.4.2.2": return "SHA-384";
      case "2.16.840.1.101.3.4.2.3": return "SHA-512";
      case "1.3.14.3.2.26": return "SHA-1";
      default: return oid;
    }
  }

  static byte[] digest(String oid, byte[] data) throws Exception {
    if (oid.equals(OID_SM3)) return sm3(data);
    return MessageDigest.getInstance(oid, "BC").digest(data);
  }

  static byte[] sm3(byte[] data) {
    SM3Digest d = new SM3Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  static boolean isSm2(String encOid) {
    return encOid.equals(OID_SM2_SM3) || encOid.equals(OID_SM2) || encOid.equals(OID_SM2_1);
  }

  static X509Certificate findCert(Store<X509CertificateHolder> store, org.bouncycastle.cms.SignerId sid) throws Exception {
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> m = store.getMatches(sid);
    if (m.isEmpty()) return null;
    return new JcaX509CertificateConverter().setProvider("BC").getCertificate(m.iterator().next());
  }

  static boolean checkCms(byte[] contents, ASN1Sequence seq, byte[] signed, Map<String, Object> r,
                          List<String> errors) throws Exception {
    if (signed == null) { errors.add("no signed bytes (bad ByteRange)"); return false; }
    ContentInfo ci = ContentInfo.getInstance(seq);
    CMSSignedData probe = new CMSSignedData(ci);
    String eType = probe.getSignedContentTypeOID();
    r.put("econtent_type", eType);
    boolean detached = probe.getSignedContent() == null;
    r.put("detached", detached);
    if (eType.equals(OID_TSTINFO)) {
      r.put("format", "rfc3161");
      TimeStampToken tok = new TimeStampToken(ci);
      Map<String, Object> t = checkToken(tok, signed, errors, "document timestamp");
      r.putAll(t);
      return Boolean.TRUE.equals(t.get("imprint_ok")) && Boolean.TRUE.equals(t.get("token_ok"));
    }
    CMSSignedData sd = detached ? new CMSSignedData(new CMSProcessableByteArray(signed), ci) : probe;
    Collection<SignerInformation> signers = sd.getSignerInfos().getSigners();
    r.put("signer_infos", signers.size());
    if (signers.size() != 1) { errors.add("SignedData has " + signers.size() + " SignerInfos, want 1"); return false; }
    SignerInformation si = signers.iterator().next();
    String dOid = si.getDigestAlgOID(), eOid = si.getEncryptionAlgOID();
    r.put("digest_alg", digestName(dOid));
    r.put("signature_alg_oid", eOid);
    byte[] want = digest(dOid, signed);
    boolean digestOk;
    if (!detached) {
      // encapsulated content: accepted when it is the digest of, or the same as, the signed bytes
      byte[] content = (byte[]) probe.getSignedContent().getContent();
      boolean isHash = Arrays.equals(content, want), isData = Arrays.equals(content, signed);
      r.put("encapsulated", isHash ? "digest" : isData ? "data" : "other");
      if (!isHash && !isData) errors.add("encapsulated content is neither the ByteRange bytes nor their digest");
      want = isHash ? digest(dOid, content) : want;
      if (!isHash && !isData) return false;
    }
    AttributeTable signedAttrs = si.getSignedAttributes();
    r.put("signed_attributes", signedAttrs != null);
    if (signedAttrs != null) {
      Attribute md = signedAttrs.get(CMSAttributes.messageDigest);
      byte[] got = md == null ? null : ASN1OctetString.getInstance(md.getAttrValues().getObjectAt(0)).getOctets();
      digestOk = got != null && Arrays.equals(got, want);
      if (got == null) errors.add("no messageDigest signed attribute");
      else if (!digestOk) errors.add("messageDigest is not the " + digestName(dOid) + " of the ByteRange bytes");
      Attribute st = signedAttrs.get(CMSAttributes.signingTime);
      if (st != null) {
        try {
          r.put("signing_time", utc(org.bouncycastle.asn1.cms.Time.getInstance(st.getAttrValues().getObjectAt(0)).getDate()));
        } catch (Exception ignored) { }
      }
    } else {
      digestOk = true; // the signature covers the content directly; checked below
    }
    r.put("digest_ok", digestOk);
    X509Certificate cert = findCert(sd.getCertificates(), si.getSID());
    if (cert == null) { errors.add("the signer certificate is not in the SignedData"); r.put("signature_ok", false); return false; }
    r.put("signer", cert.getSubjectX500Principal().getName());
    // by hand: the signature over DER(signed attributes), or over the content without them
    String alg = isSm2(eOid) ? "SM3withSM2"
        : new DefaultCMSSignatureAlgorithmNameGenerator().getSignatureName(
              new AlgorithmIdentifier(new ASN1ObjectIdentifier(dOid)), si.toASN1Structure().getDigestEncryptionAlgorithm());
    if (isSm2(eOid) && !dOid.equals(OID_SM3)) errors.add("SM2 signature with digest " + digestName(dOid) + " (want SM3)");
    r.put("signature_alg", alg);
    boolean sigOk = false;
    try {
      Signature v = Signature.getInstance(alg, "BC");
      v.initVerify(cert.getPublicKey());
      v.update(signedAttrs != null ? si.getEncodedSignedAttributes() : signed);
      sigOk = v.verify(si.getSignature());
      if (!sigOk) errors.add("the SignerInfo signature does not verify with the signer certificate (" + alg + ")");
    } catch (Exception e) {
      errors.add("signature check: " + e);
    }
    r.put("signature_ok", sigOk);
    boolean bcOk = false;
    try {
      bcOk = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(cert));
      if (!bcOk) errors.add("BouncyCastle SignerInformation.verify returned false");
    } catch (Exception e) {
      errors.add("BouncyCastle SignerInformation.verify: " + e.getMessage());
    }
    r.put("bc_verify", bcOk);
    boolean tsOk = true;
    AttributeTable unsigned = si.getUnsignedAttributes();
    Attribute tsAttr = unsigned == null ? null : unsigned.get(new ASN1ObjectIdentifier(OID_SIG_TIMESTAMP));
    if (tsAttr != null) {
      Map<String, Object> t;
      try {
        TimeStampToken tok = new TimeStampToken(ContentInfo.getInstance(tsAttr.getAttrValues().getObjectAt(0)));
        t = checkToken(tok, si.getSignature(), errors, "signature timestamp");
      } catch (Exception e) {
        t = new LinkedHashMap<>();
        t.put("token_ok", false);
        errors.add("signature timestamp: " + e);
      }
      r.put("timestamp", t);
      tsOk = Boolean.TRUE.equals(t.get("imprint_ok")) && Boolean.TRUE.equals(t.get("token_ok"));
    } else {
      r.put("timestamp", null);
    }
    return digestOk && sigOk && bcOk && tsOk;
  }

  // A TimeStampToken over `data`: imprint = digest(data) with the token's hash algorithm, and BC's
  // validate() with the TSA certificate carried in the token.
  static Map<String, Object> checkToken(TimeStampToken tok, byte[] data, List<String> errors, String what) throws Exception {
    Map<String, Object> t = new LinkedHashMap<>();
    String hOid = tok.getTimeStampInfo().getHashAlgorithm().getAlgorithm().getId();
    t.put("gen_time", utc(tok.getTimeStampInfo().getGenTime()));
    t.put("imprint_alg", digestName(hOid));
    boolean imprintOk = Arrays.equals(tok.getTimeStampInfo().getMessageImprintDigest(), digest(hOid, data));
    if (!imprintOk) errors.add(what + ": imprint is not the digest of the data it stamps");
    t.put("imprint_ok", imprintOk);
    boolean tokOk = false;
    try {
      X509Certificate tsa = findCert(tok.getCertificates(), tok.getSID());
      if (tsa == null) errors.add(what + ": no TSA certificate in the token");
      else {
        t.put("tsa", tsa.getSubjectX500Principal().getName());
        tok.validate(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(tsa));
        tokOk = true;
      }
    } catch (Exception e) {
      errors.add(what + ": " + e.getMessage());
    }
    t.put("token_ok", tokOk);
    return t;
  }

  // ---- SES_Signature (GB/T 38540 v4, v5 as ofdrw writes it, GM/T 0031-2014 v1)

  // The raw bytes of the first element of the DER SEQUENCE in `der` (definite lengths only).
  static byte[] firstElementRaw(byte[] der) throws IOException {
    int[] outer = tlv(der, 0);
    int[] inner = tlv(der, outer[0]);
    return Arrays.copyOfRange(der, outer[0], outer[0] + inner[0] + inner[1]);
  }

  // {header length, content length} of the DER TLV at `off`.
  static int[] tlv(byte[] b, int off) throws IOException {
    int p = off;
    if (p >= b.length) throw new IOException("truncated DER");
    if ((b[p++] & 0x1f) == 0x1f) throw new IOException("multi-byte tags not expected here");
    if (p >= b.length) throw new IOException("truncated DER");
    int len = b[p++] & 0xff;
    if (len == 0x80) throw new IOException("indefinite length (BER) is not DER");
    if (len > 0x80) {
      int n = len & 0x7f;
      if (n > 4) throw new IOException("length too long");
      len = 0;
      for (int i = 0; i < n; i++) {
        if (p >= b.length) throw new IOException("truncated DER");
        len = (len << 8) | (b[p++] & 0xff);
      }
    }
    return new int[] {p - off, len};
  }

  static byte[] bits(ASN1Encodable e, List<String> errors, String what) {
    ASN1BitString b = ASN1BitString.getInstance(e);
    if (b.getPadBits() != 0) errors.add(what + " BIT STRING has unused bits");
    return b.getOctets();
  }

  static String str(ASN1Encodable e) {
    return e instanceof ASN1String ? ((ASN1String) e).getString() : String.valueOf(e);
  }

  static boolean checkSes(byte[] contents, ASN1Sequence ses, byte[] signed, Map<String, Object> r,
                          List<String> errors) throws Exception {
    if (signed == null) { errors.add("no signed bytes (bad ByteRange)"); return false; }
    ASN1Sequence tbs = ASN1Sequence.getInstance(ses.getObjectAt(0));
    int version = ASN1Integer.getInstance(tbs.getObjectAt(0)).intValueExact();
    boolean v1 = ses.size() == 2;
    if (!v1 && ses.size() != 4 && ses.size() != 5) { errors.add("SES_Signature has " + ses.size() + " elements"); return false; }
    r.put("ses_version", version);
    r.put("ses_layout", v1 ? "v1" : "v4");
    ASN1Sequence eseal = ASN1Sequence.getInstance(tbs.getObjectAt(1));
    byte[] dataHash, certDer, sigValue;
    String algOid;
    ASN1Encodable timeInfo = tbs.getObjectAt(2);
    if (v1) {
      if (tbs.size() != 7) { errors.add("v1 TBS_Sign has " + tbs.size() + " elements, want 7"); return false; }
      dataHash = bits(tbs.getObjectAt(3), errors, "dataHash");
      r.put("property_info", str(tbs.getObjectAt(4)));
      certDer = ASN1OctetString.getInstance(tbs.getObjectAt(5)).getOctets();
      algOid = ASN1ObjectIdentifier.getInstance(tbs.getObjectAt(6)).getId();
      sigValue = bits(ses.getObjectAt(1), errors, "signature");
      r.put("time_info", new String(bits(timeInfo, errors, "timeInfo"), StandardCharsets.ISO_8859_1));
    } else {
      if (tbs.size() != 5 && tbs.size() != 6) { errors.add("TBS_Sign has " + tbs.size() + " elements, want 5 or 6"); return false; }
      dataHash = bits(tbs.getObjectAt(3), errors, "dataHash");
      r.put("property_info", str(tbs.getObjectAt(4)));
      certDer = ASN1OctetString.getInstance(ses.getObjectAt(1)).getOctets();
      algOid = ASN1ObjectIdentifier.getInstance(ses.getObjectAt(2)).getId();
      sigValue = bits(ses.getObjectAt(3), errors, "signature");
      r.put("time_info", org.bouncycastle.asn1.ASN1GeneralizedTime.getInstance(timeInfo).getTimeString());
    }
    // the seal inside: esID and name
    try {
      ASN1Sequence info = ASN1Sequence.getInstance(eseal.getObjectAt(0));
      r.put("seal_version", ASN1Integer.getInstance(ASN1Sequence.getInstance(info.getObjectAt(0)).getObjectAt(1)).intValueExact());
      r.put("esid", str(info.getObjectAt(1)));
      r.put("seal_name", str(ASN1Sequence.getInstance(info.getObjectAt(2)).getObjectAt(1)));
    } catch (Exception e) {
      errors.add("seal: cannot read esID/name: " + e.getMessage());
    }
    r.put("signature_alg_oid", algOid);
    boolean hashOk = Arrays.equals(dataHash, sm3(signed));
    if (!hashOk) errors.add("dataHash is not the SM3 of the ByteRange bytes");
    r.put("digest_alg", "SM3");
    r.put("digest_ok", hashOk);
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509", "BC")
        .generateCertificate(new ByteArrayInputStream(certDer));
    r.put("signer", cert.getSubjectX500Principal().getName());
    byte[] tbsRaw = firstElementRaw(contents);
    boolean derOk = Arrays.equals(tbsRaw, tbs.getEncoded(ASN1Encoding.DER));
    if (!derOk) errors.add("TBS_Sign is not DER (BouncyCastle's re-encoding differs; ofdrw-style verifiers would fail)");
    r.put("tbs_der", derOk);
    boolean sigOk = false;
    if (!algOid.equals(OID_SM2_SM3)) errors.add("signatureAlgID " + algOid + " is not SM2-with-SM3");
    else {
      Signature v = Signature.getInstance("SM3withSM2", "BC");
      v.initVerify(cert.getPublicKey());
      v.update(tbsRaw);
      try { sigOk = v.verify(sigValue); } catch (Exception e) { errors.add("signature: " + e.getMessage()); }
      if (!sigOk) errors.add("the SES signature over TBS_Sign does not verify with the signer certificate");
    }
    r.put("signature_ok", sigOk);
    r.put("maker_signature_ok", makerSignatureOk(eseal, v1));
    boolean tsOk = true;
    if (!v1 && ses.size() == 5) {
      Map<String, Object> t;
      try {
        ASN1TaggedObject tag = ASN1TaggedObject.getInstance(ses.getObjectAt(4));
        byte[] tokDer = ASN1BitString.getInstance(tag.getExplicitBaseObject()).getOctets();
        TimeStampToken tok = new TimeStampToken(ContentInfo.getInstance(ASN1Primitive.fromByteArray(tokDer)));
        t = checkToken(tok, sigValue, errors, "SES timeStamp");
      } catch (Exception e) {
        t = new LinkedHashMap<>();
        t.put("token_ok", false);
        errors.add("SES timeStamp: " + e);
      }
      r.put("timestamp", t);
      tsOk = Boolean.TRUE.equals(t.get("imprint_ok")) && Boolean.TRUE.equals(t.get("token_ok"));
    } else {
      r.put("timestamp", null);
    }
    return hashOk && derOk && sigOk && tsOk;
  }

  // The seal maker's signature (informational, not part of "valid"): v4/v5 sign DER(SES_SealInfo),
  // v1 signs DER(SEQUENCE{SES_SealInfo, cert, signatureAlgorithm}).
  static Boolean makerSignatureOk(ASN1Sequence eseal, boolean v1) {
    try {
      byte[] certDer, sig, msg;
      if (v1) {
        ASN1Sequence signInfo = ASN1Sequence.getInstance(eseal.getObjectAt(1));
        certDer = ASN1OctetString.getInstance(signInfo.getObjectAt(0)).getOctets();
        sig = ASN1BitString.getInstance(signInfo.getObjectAt(2)).getOctets();
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(eseal.getObjectAt(0));
        v.add(signInfo.getObjectAt(0));
        v.add(signInfo.getObjectAt(1));
        msg = new DERSequence(v).getEncoded(ASN1Encoding.DER);
      } else {
        certDer = ASN1OctetString.getInstance(eseal.getObjectAt(1)).getOctets();
        sig = ASN1BitString.getInstance(eseal.getObjectAt(3)).getOctets();
        msg = eseal.getObjectAt(0).toASN1Primitive().getEncoded(ASN1Encoding.DER);
      }
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509", "BC")
          .generateCertificate(new ByteArrayInputStream(certDer));
      Signature s = Signature.getInstance("SM3withSM2", "BC");
      s.initVerify(c.getPublicKey());
      s.update(msg);
      return s.verify(sig);
    } catch (Exception e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- sign

  static int sign(String[] a) throws Exception {
    List<String> pos = new ArrayList<>();
    boolean visible = false, ses = false, timestamp = false, gmOid = false;
    String field = null, password = "";
    for (int i = 0; i < a.length; i++) {
      if (a[i].equals("--visible")) visible = true;
      else if (a[i].equals("--ses")) ses = true;
      else if (a[i].equals("--timestamp")) timestamp = true;
      else if (a[i].equals("--gm-oid")) gmOid = true;
      else if (a[i].equals("--field") && i + 1 < a.length) field = a[++i];
      else if (a[i].equals("--password") && i + 1 < a.length) password = a[++i];
      else if (a[i].startsWith("--")) throw new UsageError("unknown option " + a[i]);
      else pos.add(a[i]);
    }
    if (pos.size() != 4) throw new UsageError("sign needs IN.pdf OUT.pdf KEY.pem CERT.pem");
    if (ses && gmOid) throw new UsageError("--gm-oid is for CMS, not with --ses");
    File in = new File(pos.get(0)), out = new File(pos.get(1));
    if (in.getCanonicalFile().equals(out.getCanonicalFile())) throw new UsageError("OUT.pdf must differ from IN.pdf");
    PrivateKey key = readKey(pos.get(2));
    X509Certificate cert = readCert(pos.get(3));

    try (PDDocument doc = PDDocument.load(in, password)) {
      if (field != null) {
        PDAcroForm af = doc.getDocumentCatalog().getAcroForm();
        if (af != null && af.getField(field) != null) throw new UsageError("a field named " + field + " exists already");
      }
      PDSignature sig = new PDSignature();
      sig.setFilter(PDSignature.FILTER_ADOBE_PPKLITE);
      sig.setSubFilter(PDSignature.SUBFILTER_ADBE_PKCS7_DETACHED);
      sig.setName(cert.getSubjectX500Principal().getName());
      sig.setReason("eseal PDF interop test by PdfOracle");
      sig.setSignDate(Calendar.getInstance());

      SignatureOptions opts = new SignatureOptions();
      opts.setPreferredSignatureSize(8192);
      if (visible) {
        PDPage page1 = doc.getPage(0);
        opts.setVisualSignature(new ByteArrayInputStream(visualTemplate(page1, cert, field)));
        opts.setPage(0);
      }
      final PrivateKey k = key;
      final X509Certificate c = cert;
      final String[] fieldName = {field}; // the final name, known when PDFBox calls back at save time
      final boolean ts = timestamp, gm = gmOid;
      if (ses) doc.addSignature(sig, content -> sesSign(content, k, c, sig, fieldName[0], ts), opts);
      else doc.addSignature(sig, content -> cmsSign(content, k, c, ts, gm), opts);
      for (PDField f : doc.getDocumentCatalog().getAcroForm().getFieldTree()) {
        if (!(f instanceof PDSignatureField)
            || f.getCOSObject().getDictionaryObject(COSName.V) != sig.getCOSObject()) continue;
        if (field != null) {
          f.setPartialName(field);
          f.getCOSObject().setNeedToBeUpdated(true);
        }
        fieldName[0] = f.getFullyQualifiedName();
        // PDFBox leaves an invisible signature's widget out of the page's /Annots; list it on
        // page 1 as the visible one is (and as readers expect of every widget).
        for (PDAnnotationWidget w : ((PDSignatureField) f).getWidgets()) {
          PDPage page1 = doc.getPage(0);
          COSBase annotsBase = page1.getCOSObject().getDictionaryObject(COSName.ANNOTS);
          COSArray annots = annotsBase instanceof COSArray ? (COSArray) annotsBase : new COSArray();
          boolean listed = false;
          for (int i = 0; i < annots.size(); i++) if (annots.getObject(i) == w.getCOSObject()) listed = true;
          if (listed) continue;
          annots.add(w.getCOSObject());
          if (annotsBase != annots) page1.getCOSObject().setItem(COSName.ANNOTS, annots);
          w.setPage(page1);
          annots.setNeedToBeUpdated(true);
          page1.getCOSObject().setNeedToBeUpdated(true);
          w.getCOSObject().setNeedToBeUpdated(true);
        }
      }
      try (OutputStream os = new FileOutputStream(out)) {
        doc.saveIncremental(os);
      }
      opts.close();
    }
    System.out.println("signed " + out.getPath() + (ses ? " (SES_Signature v4)" : gmOid ? " (CMS, GM/T 0010 OID)" : " (CMS)")
        + (timestamp ? " (timestamped)" : "") + (visible ? " (visible)" : ""));
    return 0;
  }

  static byte[] cmsSign(InputStream content, PrivateKey key, X509Certificate cert, boolean timestamp,
                        boolean gmOid) throws IOException {
    try {
      byte[] data = content.readAllBytes();
      ContentSigner signer = new JcaContentSignerBuilder("SM3withSM2").setProvider("BC").build(key);
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
          new JcaDigestCalculatorProviderBuilder().setProvider("BC").build()).build(signer, cert));
      gen.addCertificate(new JcaX509CertificateHolder(cert));
      CMSSignedData sd = gen.generate(new CMSProcessableByteArray(data), false);
      if (timestamp) {
        // a signature-timestamp unsigned attribute: a token over the SignerInfo's signature value
        SignerInformation si = sd.getSignerInfos().getSigners().iterator().next();
        TimeStampToken tok = testTsaToken(si.getSignature());
        Attribute attr = new Attribute(new ASN1ObjectIdentifier(OID_SIG_TIMESTAMP),
            new org.bouncycastle.asn1.DERSet(tok.toCMSSignedData().toASN1Structure()));
        si = SignerInformation.replaceUnsignedAttributes(si, new AttributeTable(attr));
        sd = CMSSignedData.replaceSigners(sd, new org.bouncycastle.cms.SignerInformationStore(si));
      }
      if (gmOid) {
        // the same SignedData under GM/T 0010's content type 1.2.156.10197.6.1.4.2.2
        ContentInfo ci = sd.toASN1Structure();
        return new ContentInfo(new ASN1ObjectIdentifier(OID_GM_SIGNED), ci.getContent()).getEncoded(ASN1Encoding.DER);
      }
      return sd.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("CMS signing failed: " + e, e);
    }
  }

  // A GB/T 38540 v4 SES_Signature made here with BC's ASN.1 classes, as ofdrw lays it out
  // (ses-formats.md section 2): a test seal (header "ES" 4 "PDFORACLE", esID, type 1, name
  // "PdfOracle test seal", certListType 1 with the signer certificate, GeneralizedTime dates, a
  // tiny PNG, the same key and certificate as seal maker, which signs DER(SES_SealInfo)), then
  // TBS_Sign{4, SESeal, timeInfo, dataHash = SM3(ByteRange bytes), propertyInfo = the ByteRange
  // and field} signed with SM3withSM2. No timeStamp.
  static byte[] sesSign(InputStream content, PrivateKey key, X509Certificate cert, PDSignature sig, String field,
                        boolean timestamp) throws IOException {
    try {
      byte[] data = content.readAllBytes();
      Date now = new Date();
      Date later = new Date(now.getTime() + 365L * 24 * 3600 * 1000);
      ASN1EncodableVector header = new ASN1EncodableVector();
      header.add(new org.bouncycastle.asn1.DERIA5String("ES"));
      header.add(new ASN1Integer(4));
      header.add(new org.bouncycastle.asn1.DERIA5String("PDFORACLE"));
      ASN1EncodableVector certList = new ASN1EncodableVector();
      certList.add(new org.bouncycastle.asn1.DEROctetString(cert.getEncoded()));
      ASN1EncodableVector prop = new ASN1EncodableVector();
      prop.add(new ASN1Integer(1));
      prop.add(new org.bouncycastle.asn1.DERUTF8String("PdfOracle test seal"));
      prop.add(new ASN1Integer(1));
      prop.add(new DERSequence(certList));
      prop.add(new org.bouncycastle.asn1.DERGeneralizedTime(now));
      prop.add(new org.bouncycastle.asn1.DERGeneralizedTime(now));
      prop.add(new org.bouncycastle.asn1.DERGeneralizedTime(later));
      ASN1EncodableVector pic = new ASN1EncodableVector();
      pic.add(new org.bouncycastle.asn1.DERIA5String("PNG"));
      pic.add(new org.bouncycastle.asn1.DEROctetString(tinyPng()));
      pic.add(new ASN1Integer(40));
      pic.add(new ASN1Integer(40));
      ASN1EncodableVector info = new ASN1EncodableVector();
      info.add(new DERSequence(header));
      info.add(new org.bouncycastle.asn1.DERIA5String("PDFORACLE-TEST-0001"));
      info.add(new DERSequence(prop));
      info.add(new DERSequence(pic));
      DERSequence sealInfo = new DERSequence(info);
      ASN1ObjectIdentifier sm2sm3 = new ASN1ObjectIdentifier(OID_SM2_SM3);
      ASN1EncodableVector seal = new ASN1EncodableVector();
      seal.add(sealInfo);
      seal.add(new org.bouncycastle.asn1.DEROctetString(cert.getEncoded()));
      seal.add(sm2sm3);
      seal.add(new org.bouncycastle.asn1.DERBitString(sm2(key, sealInfo.getEncoded(ASN1Encoding.DER))));
      int[] br = sig.getByteRange();
      String range = br == null ? "?" : br[0] + " " + br[1] + " " + br[2] + " " + br[3];
      ASN1EncodableVector tbs = new ASN1EncodableVector();
      tbs.add(new ASN1Integer(4));
      tbs.add(new DERSequence(seal));
      tbs.add(new org.bouncycastle.asn1.DERGeneralizedTime(now));
      tbs.add(new org.bouncycastle.asn1.DERBitString(sm3(data)));
      tbs.add(new org.bouncycastle.asn1.DERIA5String("ByteRange=[" + range + "];Field=" + (field == null ? "" : field)));
      DERSequence tbsSign = new DERSequence(tbs);
      ASN1EncodableVector ses = new ASN1EncodableVector();
      ses.add(tbsSign);
      ses.add(new org.bouncycastle.asn1.DEROctetString(cert.getEncoded()));
      ses.add(sm2sm3);
      byte[] sigValue = sm2(key, tbsSign.getEncoded(ASN1Encoding.DER));
      ses.add(new org.bouncycastle.asn1.DERBitString(sigValue));
      if (timestamp) {
        byte[] tok = testTsaToken(sigValue).getEncoded(ASN1Encoding.DER);
        ses.add(new org.bouncycastle.asn1.DERTaggedObject(true, 0, new org.bouncycastle.asn1.DERBitString(tok)));
      }
      return new DERSequence(ses).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("SES signing failed: " + e, e);
    }
  }

  // A token from a throwaway SM2 TSA made here (self-signed, extendedKeyUsage timeStamping,
  // critical; test policy 1.3.6.1.4.1.32473.2.98): imprint = SM3(data), ESSCertIDv2 with SM3.
  static TimeStampToken testTsaToken(byte[] data) throws Exception {
    java.security.KeyPairGenerator kpg = java.security.KeyPairGenerator.getInstance("EC", "BC");
    kpg.initialize(new java.security.spec.ECGenParameterSpec("sm2p256v1"));
    java.security.KeyPair kp = kpg.generateKeyPair();
    long now = System.currentTimeMillis();
    org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=PdfOracle test TSA");
    org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder b = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
        name, java.math.BigInteger.valueOf(now), new Date(now - 3600_000L), new Date(now + 30L * 86400_000L), name, kp.getPublic());
    b.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, true,
        new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_timeStamping));
    b.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
        new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature
                                                | org.bouncycastle.asn1.x509.KeyUsage.nonRepudiation));
    X509Certificate tsa = new JcaX509CertificateConverter().setProvider("BC").getCertificate(
        b.build(new JcaContentSignerBuilder("SM3withSM2").setProvider("BC").build(kp.getPrivate())));
    AlgorithmIdentifier sm3Alg = new AlgorithmIdentifier(new ASN1ObjectIdentifier(OID_SM3));
    org.bouncycastle.tsp.TimeStampTokenGenerator g = new org.bouncycastle.tsp.TimeStampTokenGenerator(
        new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder().setProvider("BC")
            .build("SM3withSM2", kp.getPrivate(), tsa),
        new JcaDigestCalculatorProviderBuilder().setProvider("BC").build().get(sm3Alg),
        new ASN1ObjectIdentifier("1.3.6.1.4.1.32473.2.98"));
    g.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(tsa)));
    org.bouncycastle.tsp.TimeStampRequestGenerator rg = new org.bouncycastle.tsp.TimeStampRequestGenerator();
    rg.setCertReq(true);
    org.bouncycastle.tsp.TimeStampRequest req = rg.generate(new ASN1ObjectIdentifier(OID_SM3), sm3(data),
        java.math.BigInteger.valueOf(now));
    return g.generate(req, java.math.BigInteger.valueOf(now), new Date());
  }

  static byte[] sm2(PrivateKey key, byte[] msg) throws Exception {
    Signature s = Signature.getInstance("SM3withSM2", "BC");
    s.initSign(key);
    s.update(msg);
    return s.sign();
  }

  static byte[] tinyPng() throws IOException {
    java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, 0xffd00000);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", b);
    return b.toByteArray();
  }

  // A one-page PDF holding a signature field whose widget sits on the page with a visible
  // appearance (a red frame and three lines of text); PDFBox copies the widget's /Rect and /AP.
  static byte[] visualTemplate(PDPage target, X509Certificate cert, String field) throws IOException {
    PDRectangle media = target.getMediaBox();
    float w = 150, h = 80;
    float x = media.getLowerLeftX() + 170, y = media.getLowerLeftY() + 160;
    try (PDDocument t = new PDDocument()) {
      PDPage page = new PDPage(media);
      t.addPage(page);
      PDAcroForm af = new PDAcroForm(t);
      t.getDocumentCatalog().setAcroForm(af);
      af.setSignaturesExist(true);
      af.setAppendOnly(true);
      PDSignatureField sf = new PDSignatureField(af);
      PDAnnotationWidget widget = sf.getWidgets().get(0);
      widget.setRectangle(new PDRectangle(x, y, w, h));
      widget.setPage(page);
      widget.setPrinted(true);
      widget.setLocked(true);
      page.getAnnotations().add(widget);
      af.getFields().add(sf);

      PDAppearanceStream ap = new PDAppearanceStream(t);
      ap.setBBox(new PDRectangle(w, h));
      ap.setResources(new PDResources());
      try (PDPageContentStream cs = new PDPageContentStream(t, ap)) {
        cs.setStrokingColor(Color.RED);
        cs.setLineWidth(3);
        cs.addRect(2, 2, w - 4, h - 4);
        cs.stroke();
        cs.setNonStrokingColor(Color.RED);
        cs.beginText();
        cs.setFont(PDType1Font.HELVETICA_BOLD, 14);
        cs.newLineAtOffset(10, h - 24);
        cs.showText("eseal test seal");
        cs.setFont(PDType1Font.HELVETICA, 8);
        cs.newLineAtOffset(0, -18);
        String cn = cert.getSubjectX500Principal().getName();
        cs.showText(cn.length() > 34 ? cn.substring(0, 34) : cn);
        cs.newLineAtOffset(0, -12);
        cs.showText("field " + (field == null ? "(default)" : field));
        cs.endText();
      }
      PDAppearanceDictionary apd = new PDAppearanceDictionary();
      apd.setNormalAppearance(ap);
      widget.setAppearance(apd);
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      t.save(bos);
      return bos.toByteArray();
    }
  }

  static PrivateKey readKey(String path) throws Exception {
    try (PEMParser p = new PEMParser(new FileReader(path))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter().setProvider("BC");
      if (o instanceof PrivateKeyInfo) return conv.getPrivateKey((PrivateKeyInfo) o);
      if (o instanceof PEMKeyPair) return conv.getKeyPair((PEMKeyPair) o).getPrivate();
      throw new UsageError(path + ": not an unencrypted PEM private key");
    }
  }

  static X509Certificate readCert(String path) throws Exception {
    try (PEMParser p = new PEMParser(new FileReader(path))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder)) throw new UsageError(path + ": not a PEM certificate");
      return new JcaX509CertificateConverter().setProvider("BC").getCertificate((X509CertificateHolder) o);
    }
  }

  // ---------------------------------------------------------------- output

  static String utc(Date d) {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(d);
  }

  static String json(Object o) {
    StringBuilder b = new StringBuilder();
    writeJson(b, o);
    return b.toString();
  }

  static void writeJson(StringBuilder b, Object o) {
    if (o == null) b.append("null");
    else if (o instanceof Boolean || o instanceof Integer || o instanceof Long) b.append(o);
    else if (o instanceof Map) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        if (!first) b.append(',');
        first = false;
        writeJson(b, String.valueOf(e.getKey()));
        b.append(':');
        writeJson(b, e.getValue());
      }
      b.append('}');
    } else if (o instanceof List) {
      b.append('[');
      boolean first = true;
      for (Object e : (List<?>) o) {
        if (!first) b.append(',');
        first = false;
        writeJson(b, e);
      }
      b.append(']');
    } else {
      String s = o.toString();
      b.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"': b.append("\\\""); break;
          case '\\': b.append("\\\\"); break;
          case '\n': b.append("\\n"); break;
          case '\r': b.append("\\r"); break;
          case '\t': b.append("\\t"); break;
          default:
            if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
      }
      b.append('"');
    }
  }
}
