// OfdBcVerify: an independent verifier of signed OFD documents, written on BouncyCastle.
//
// It does what ofdrw's OFDValidator with SESV4/SESV5/SESV1ValidateContainer and
// GBT35275ValidateContainer does (see shared/reference/ses-formats.md §6-§8): it checks every
// Reference digest, parses SignedValue.dat with BouncyCastle's typed ASN.1 classes, RE-ENCODES the
// parsed structures with BC DER (as ofdrw does) and requires the original bytes back, checks
// dataHash, verifies SM3withSM2 over DER(TBS_Sign) with the signer certificate, compares Seal.esl
// with the re-encoded seal, and, beyond ofdrw, verifies the seal maker's signature (GB/T 38540).
// Type=Sign values are GB/T 35275 SignedData (with or without PKCS#9 signed attributes).
//
// It is eseal's outside witness: nothing here shares code with eseal's C++ implementation.
// Run as a single-file program (Java 11+):
//   java -cp /usr/share/java/bcprov.jar tests/interop/OfdBcVerify.java [--strict] [--cert signer.pem] DOC.ofd
// --cert is only needed for bare SM2 Type=Sign values (they carry no certificate).
// --strict adds what we require of our own output but ofdrw does not check and real vendors do not
// all meet: References cover every file outside the signatures folder; each StampAnnot's PageRef
// is a Page ID of Document.xml and its Boundary a box; TBS_Sign.propertyInfo is the path of
// Signature.xml; the signer certificate is in the seal's certList; PKCS#9 signed attributes are
// in DER SET order (RFC 5652 verifiers re-encode them before verifying).
// Prints one line per check ("ok ..." / "BAD ..." / "info ..."), then "OK n signatures" or
// "FAIL <first failure>". Exit 0 only when everything verified, 1 on a failed check, 2 on usage.
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

@SuppressWarnings("deprecation")  // DERBitString.getInstance, as ofdrw calls it
public class OfdBcVerify {
  static final long MAX_ENTRY = 64L << 20;  // refuse zip entries above 64 MB (declared or actual)
  static final int MAX_ENTRIES = 100_000;
  static final Provider BC = new BouncyCastleProvider();
  static final String SM3_OID = "1.2.156.10197.1.401";
  static final String SM2_SM3_OID = "1.2.156.10197.1.501";
  static final String GBT35275_SIGNED_DATA = "1.2.156.10197.6.1.4.2.2";
  static final String PKCS9_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";

  private String firstFailure;
  private java.util.Set<String> pageIds;  // Page IDs of the first document, for StampAnnot/@PageRef
  private final String certPem;
  private final boolean strict;

  OfdBcVerify(String certPem, boolean strict) {
    this.certPem = certPem;
    this.strict = strict;
  }

  public static void main(String[] args) {
    String cert = null;
    String doc = null;
    boolean strict = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--cert") && i + 1 < args.length) {
        cert = args[++i];
      } else if (args[i].equals("--strict")) {
        strict = true;
      } else if (doc == null && !args[i].startsWith("--")) {
        doc = args[i];
      } else {
        doc = null;
        break;
      }
    }
    if (doc == null) {
      System.err.println("usage: java -cp bcprov.jar OfdBcVerify.java [--strict] [--cert signer.pem] DOC.ofd");
      System.exit(2);
    }
    System.exit(new OfdBcVerify(cert, strict).run(doc));
  }

  // ---- reporting ----

  void ok(String tag, String what) { System.out.println("ok   " + tag + " " + what); }

  void info(String tag, String what) { System.out.println("info " + tag + " " + what); }

  void bad(String tag, String what, String reason) {
    System.out.println("BAD  " + tag + " " + what);
    if (firstFailure == null) firstFailure = (tag.isEmpty() ? "" : tag + " ") + reason;
  }

  void check(boolean good, String tag, String what, String reason) {
    if (good) ok(tag, what); else bad(tag, what, reason);
  }

  int run(String path) {
    int n = 0;
    try (Pkg pkg = Pkg.open(new File(path))) {
      Element ofd = xml(pkg.read("/OFD.xml"));
      Element body = child(ofd, "DocBody");
      if (body == null) throw new IllegalArgumentException("OFD.xml has no DocBody");
      Element sigsEl = child(body, "Signatures");  // first DocBody only, as ofdrw
      if (strict) pageIds = pageIdsOf(pkg, resolve("/", text(child(body, "DocRoot"))));
      if (sigsEl == null || text(sigsEl).isEmpty()) {
        bad("", "document has no Signatures", "not-signed");
      } else {
        String sigsPath = resolve("/", text(sigsEl));
        info("", "Signatures.xml at " + sigsPath);
        Element sigs = xml(pkg.read(sigsPath));
        List<Element> list = children(sigs, "Signature");
        if (list.isEmpty()) bad("", "Signatures.xml lists no Signature", "not-signed");
        for (Element s : list) {
          n++;
          String tag = "[" + s.getAttribute("ID") + "]";
          try {
            verifySignature(pkg, sigsPath, s, tag);
          } catch (Exception e) {
            bad(tag, "error: " + e, "error: " + e.getMessage());
          }
        }
      }
    } catch (Exception e) {
      bad("", "error: " + e, "error: " + e.getMessage());
    }
    if (firstFailure == null) {
      System.out.println("OK " + n + " signatures");
      return 0;
    }
    System.out.println("FAIL " + firstFailure);
    return 1;
  }

  // ---- one <Signature> of Signatures.xml ----

  void verifySignature(Pkg pkg, String sigsPath, Element s, String tag) throws Exception {
    String sigsDir = dirOf(sigsPath);
    String type = s.getAttribute("Type").isEmpty() ? "Seal" : s.getAttribute("Type");
    String sigXmlPath = resolve(sigsDir, s.getAttribute("BaseLoc"));
    java.util.Set<String> referenced = new java.util.TreeSet<>();
    info(tag, "Type=" + type + " Signature.xml at " + sigXmlPath);
    byte[] sigXml = pkg.read(sigXmlPath);
    Element root = xml(sigXml);
    String here = dirOf(sigXmlPath);
    Element signedInfo = child(root, "SignedInfo");
    if (signedInfo == null) throw new IllegalArgumentException("Signature.xml has no SignedInfo");

    // (1) file integrity: MessageDigest.getInstance(CheckMethod, BC) over raw bytes.
    Element refs = child(signedInfo, "References");
    String checkMethod = refs == null ? "" : refs.getAttribute("CheckMethod");
    if (!checkMethod.equalsIgnoreCase("SM3") && !checkMethod.equals(SM3_OID)) {
      bad(tag, "References/@CheckMethod '" + checkMethod + "' is neither SM3 nor " + SM3_OID,
          "check-method " + checkMethod);
    } else {
      MessageDigest md = MessageDigest.getInstance(checkMethod, BC);
      List<Element> list = children(refs, "Reference");
      if (list.isEmpty()) bad(tag, "no Reference", "no-references");
      for (Element r : list) {
        String ref = resolve(here, r.getAttribute("FileRef"));
        byte[] want = Base64.getMimeDecoder().decode(text(child(r, "CheckValue")));
        byte[] got = md.digest(pkg.read(ref));
        check(Arrays.equals(want, got), tag, "reference " + ref + " " + checkMethod,
            "file-integrity " + ref);
        referenced.add(ref);
      }
    }
    info(tag, referenced.contains(sigsPath) ? "Signatures.xml is protected: no later signature possible"
                                            : "Signatures.xml is not protected: later signatures possible");
    if (strict) {
      // Beyond ofdrw: the signature protects every document file (all but the signature folder).
      List<String> unprotected = new ArrayList<>();
      for (String e : pkg.entries.keySet()) {
        String abs = "/" + e;
        if (!abs.startsWith(sigsDir + "/") && !referenced.contains(abs)) unprotected.add(abs);
      }
      java.util.Collections.sort(unprotected);
      check(unprotected.isEmpty(), tag, "References cover every file outside " + sigsDir + "/ (--strict)"
          + (unprotected.isEmpty() ? "" : ": missing " + unprotected), "unprotected " + unprotected);
      for (Element a : children(signedInfo, "StampAnnot")) {
        String ref = a.getAttribute("PageRef");
        String[] box = a.getAttribute("Boundary").trim().split("\\s+");
        boolean boxOk = box.length == 4;
        try {
          for (String b : box) Double.parseDouble(b);
          boxOk = boxOk && Double.parseDouble(box[2]) > 0 && Double.parseDouble(box[3]) > 0;
        } catch (NumberFormatException x) {
          boxOk = false;
        }
        check(pageIds != null && pageIds.contains(ref) && boxOk && !a.getAttribute("ID").isEmpty(), tag,
            "StampAnnot ID=" + a.getAttribute("ID") + " PageRef=" + ref + " is a Page ID, Boundary '"
                + a.getAttribute("Boundary") + "' a box (--strict)", "stamp-annot " + a.getAttribute("ID"));
      }
    }

    Element svEl = child(root, "SignedValue");
    if (svEl == null) throw new IllegalArgumentException("Signature.xml has no SignedValue");
    byte[] sv = pkg.read(resolve(here, text(svEl)));
    String method = text(child(signedInfo, "SignatureMethod"));
    if (type.equals("Seal")) {
      Element seal = child(signedInfo, "Seal");
      byte[] esl = null;
      if (seal != null && child(seal, "BaseLoc") != null) {
        String eslPath = resolve(here, text(child(seal, "BaseLoc")));
        info(tag, "Seal.esl at " + eslPath);
        esl = pkg.read(eslPath);
      } else {
        info(tag, "no <Seal>: the seal exists only inside SignedValue.dat");
      }
      verifySes(tag, sigXml, sv, esl, sigXmlPath);
    } else if (type.equals("Sign")) {
      verifySign(tag, method, sigXml, sv);
    } else {
      bad(tag, "unknown Type " + type, "unknown-type " + type);
    }
  }

  // ---- (2) Type=Seal: SES_Signature v4/v5 (GB/T 38540) or v1 (GM/T 0031-2014) ----

  void verifySes(String tag, byte[] sigXml, byte[] sv, byte[] esl, String sigXmlPath) throws Exception {
    ASN1Sequence top = ASN1Sequence.getInstance(readDer(sv));
    Rebuild rb = new Rebuild();
    Ses s;
    try {
      if (top.size() == 4 || top.size() == 5) {
        s = rb.sesSignatureV4(top);
      } else if (top.size() == 2) {
        s = rb.sesSignatureV1(top);
      } else {
        bad(tag, "SES_Signature with " + top.size() + " elements", "parse SES_Signature size");
        return;
      }
    } catch (RuntimeException e) {
      bad(tag, "parse SES_Signature with BC typed getInstance: " + e, "parse " + e.getMessage());
      return;
    }
    info(tag, "SES_Signature v" + s.version + " (seal header version " + s.sealHeaderVersion
        + ", vid " + s.vid + ", esID " + s.esID + ", name " + s.sealName + ")");
    info(tag, "timeInfo " + s.timeInfo + ", propertyInfo " + s.propertyInfo);
    for (String note : rb.notes) info(tag, note);

    for (String p : rb.problems) bad(tag, p, "encoding " + p);
    byte[] reenc = s.rebuilt.getEncoded("DER");
    if (Arrays.equals(reenc, sv)) {
      ok(tag, "SignedValue.dat == BC DER re-encoding of the parsed SES_Signature");
    } else {
      String where = rb.diffs.isEmpty() ? "SES_Signature (outer length or trailing data)"
                                        : String.join(", ", rb.diffs);
      bad(tag, "BC DER re-encoding differs from SignedValue.dat; differing structure(s): " + where,
          "der-reencode " + (rb.diffs.isEmpty() ? "SES_Signature" : rb.diffs.get(0)));
    }

    check(s.dataHash != null && Arrays.equals(s.dataHash, sm3(sigXml)), tag,
        "TBS_Sign.dataHash == SM3(Signature.xml)", "data-hash");

    X509Certificate signer = cert(s.signerCert);
    info(tag, "signer certificate: " + signer.getSubjectX500Principal().getName()
        + " serial " + signer.getSerialNumber().toString(16));
    check(SM2_SM3_OID.equals(s.signAlg), tag, "signature algorithm " + s.signAlg,
        "signature-algorithm " + s.signAlg);
    check(verifySm2(signer, null, s.tbs.getEncoded("DER"), s.signature, tag), tag,
        "SM3withSM2 signature over DER(TBS_Sign) with the signer certificate", "signature");

    if (strict) {
      check(sigXmlPath.equals(s.propertyInfo), tag, "TBS_Sign.propertyInfo == path of Signature.xml (--strict)",
          "property-info " + s.propertyInfo);
      if (s.certListType == 2) {
        info(tag, "seal lists certificate digests; membership not checked");
      } else {
        boolean listed = s.certList.stream().anyMatch(c -> Arrays.equals(c, s.signerCert));
        check(listed, tag, "signer certificate is in the seal's certList (--strict)", "signer-not-in-cert-list");
      }
    }
    if (esl != null) {
      check(Arrays.equals(esl, s.eseal.getEncoded("DER")), tag,
          "Seal.esl == BC DER re-encoding of TBS_Sign.eseal", "seal-mismatch");
    }

    // Beyond ofdrw (GB/T 38540 7.3 / GM/T 0031 6.2.3): the seal maker's signature.
    X509Certificate maker = cert(s.makerCert);
    info(tag, "seal maker certificate: " + maker.getSubjectX500Principal().getName());
    check(SM2_SM3_OID.equals(s.makerAlg), tag, "seal maker algorithm " + s.makerAlg,
        "maker-algorithm " + s.makerAlg);
    check(verifySm2(maker, null, s.makerSigned.getEncoded("DER"), s.makerSignature, tag), tag,
        "seal maker SM3withSM2 signature over " + (s.version == 1
            ? "DER(SEQUENCE{SES_SealInfo, cert, signatureAlgorithm})" : "DER(SES_SealInfo)"),
        "maker-signature");
  }

  /** The parts of a parsed SES_Signature that the checks need, plus its BC re-encoding. */
  static final class Ses {
    int version;  // 4 (v4/v5 layout) or 1
    int sealHeaderVersion;
    int certListType = 1;
    final List<byte[]> certList = new ArrayList<>();  // DER certificates listed in the seal
    String vid, esID, sealName, timeInfo, propertyInfo, signAlg, makerAlg;
    byte[] dataHash, signerCert, signature, makerCert, makerSignature;
    ASN1Primitive rebuilt, tbs, eseal, makerSigned;
  }

  /**
   * Parses SES structures with BC's typed getInstance calls, field by field as ofdrw's gm/ses
   * classes do, and rebuilds each structure the way their toASN1Primitive() does. Records which
   * structures re-encode differently from what was parsed (innermost first).
   */
  static final class Rebuild {
    final List<String> diffs = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    ASN1Primitive note(String name, ASN1Encodable original, ASN1Primitive rebuilt) {
      try {
        if (!Arrays.equals(original.toASN1Primitive().getEncoded(), rebuilt.getEncoded("DER"))) {
          diffs.add(name);
        }
      } catch (IOException e) {
        diffs.add(name + " (" + e.getMessage() + ")");
      }
      return rebuilt;
    }

    static final class It {
      final Enumeration<?> e;
      final String owner;
      It(ASN1Sequence s, String owner) { this.e = s.getObjects(); this.owner = owner; }
      Object next(String field) {
        try {
          return e.nextElement();
        } catch (NoSuchElementException x) {
          throw new IllegalArgumentException(owner + "." + field + " missing");
        }
      }
      boolean more() { return e.hasMoreElements(); }
    }

    static ASN1Primitive seq(ASN1Encodable... items) {
      ASN1EncodableVector v = new ASN1EncodableVector(items.length);
      for (ASN1Encodable i : items) v.add(i);
      return new DERSequence(v);
    }

    DERIA5String ia5(Object o, String where) {
      try {
        return new DERIA5String(ASN1IA5String.getInstance(o).getString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " is not an IA5String: " + e.getMessage());
      }
    }

    DERUTF8String utf8(Object o, String where) {
      try {
        return new DERUTF8String(ASN1UTF8String.getInstance(o).getString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + " is not a UTF8String: " + e.getMessage());
      }
    }

    DERBitString bits(Object o, String where) {
      DERBitString b = DERBitString.getInstance(o);
      if (b.getPadBits() != 0) problems.add(where + " BIT STRING has " + b.getPadBits() + " unused bits");
      return b;
    }

    static byte[] bytesOf(ASN1BitString b) { return b.getBytes(); }

    // SES_Header ::= SEQUENCE { id IA5String, version INTEGER, vid IA5String }
    ASN1Primitive header(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SES_Header");
      DERIA5String id = ia5(it.next("id"), "SES_Header.id");
      ASN1Integer version = ASN1Integer.getInstance(it.next("version"));
      DERIA5String vid = ia5(it.next("vid"), "SES_Header.vid");
      if (!"ES".equals(id.getString())) notes.add("SES_Header.id is '" + id.getString() + "' (ofdrw writes ES)");
      s.sealHeaderVersion = version.intValueExact();
      s.vid = vid.getString();
      return note("SES_Header", q, seq(new DERIA5String("ES"), version, vid));  // ofdrw writes constant "ES"
    }

    // SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
    ASN1Primitive picture(Object o) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SES_ESPictrueInfo");
      DERIA5String type = ia5(it.next("type"), "SES_ESPictrueInfo.type");
      ASN1OctetString data = ASN1OctetString.getInstance(it.next("data"));
      ASN1Integer w = ASN1Integer.getInstance(it.next("width"));
      ASN1Integer h = ASN1Integer.getInstance(it.next("height"));
      notes.add("seal picture " + type.getString() + " " + data.getOctets().length + " bytes, " + w.getValue() + "x" + h.getValue() + " mm");
      return note("SES_ESPictrueInfo", q, seq(type, data, w, h));
    }

    // ExtensionDatas ::= SEQUENCE OF ExtData; ExtData ::= SEQUENCE { extnID OID, critical BOOLEAN, extnValue OCTET STRING }
    // ofdrw requires `critical`, and drops (silently) any ExtData it cannot parse.
    ASN1Primitive extDatas(Object o, String where) {
      ASN1Sequence q;
      if (o instanceof DEROctetString) {
        q = ASN1Sequence.getInstance(((DEROctetString) o).getOctets());
      } else if (o instanceof ASN1TaggedObject) {
        q = ASN1Sequence.getInstance((ASN1TaggedObject) o, true);
      } else {
        q = ASN1Sequence.getInstance(o);
      }
      ASN1EncodableVector v = new ASN1EncodableVector();
      for (int i = 0; i < q.size(); i++) {
        try {
          ASN1Sequence x = ASN1Sequence.getInstance(q.getObjectAt(i));
          It it = new It(x, "ExtData");
          ASN1ObjectIdentifier id = ASN1ObjectIdentifier.getInstance(it.next("extnID"));
          ASN1Boolean critical = ASN1Boolean.getInstance(it.next("critical"));
          ASN1OctetString value = ASN1OctetString.getInstance(it.next("extnValue"));
          v.add(note(where + ".ExtData[" + i + "]", x, seq(id, critical, value)));
        } catch (RuntimeException e) {
          problems.add(where + ".ExtData[" + i + "] unparseable (ofdrw drops it): " + e.getMessage());
        }
      }
      return note(where, q, new DERSequence(v));
    }

    // v4 SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
    //   certList SES_CertList, createDate/validStart/validEnd GeneralizedTime }
    ASN1Primitive propertyV4(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SES_ESPropertyInfo");
      ASN1Integer type = ASN1Integer.getInstance(it.next("type"));
      DERUTF8String name = utf8(it.next("name"), "SES_ESPropertyInfo.name");
      ASN1Integer listType = ASN1Integer.getInstance(it.next("certListType"));
      Object listObj = it.next("certList");
      ASN1Sequence list = ASN1Sequence.getInstance(listObj);
      ASN1EncodableVector v = new ASN1EncodableVector();
      int t = listType.intValueExact();
      for (int i = 0; i < list.size(); i++) {
        if (t == 1) {
          ASN1OctetString c = ASN1OctetString.getInstance(list.getObjectAt(i));
          s.certList.add(c.getOctets());
          v.add(c);
        } else if (t == 2) {
          ASN1Sequence d = ASN1Sequence.getInstance(list.getObjectAt(i));
          It di = new It(d, "CertDigestObj");
          ASN1Encodable dt = new DERPrintableString(ASN1PrintableString.getInstance(di.next("type")).getString());
          v.add(note("CertDigestObj", d, seq(dt, ASN1OctetString.getInstance(di.next("value")))));
        } else {
          throw new IllegalArgumentException("unknown certListType " + t);
        }
      }
      ASN1Primitive certList = note("SES_CertList", list, new DERSequence(v));
      ASN1GeneralizedTime c = ASN1GeneralizedTime.getInstance(it.next("createDate"));
      ASN1GeneralizedTime vs = ASN1GeneralizedTime.getInstance(it.next("validStart"));
      ASN1GeneralizedTime ve = ASN1GeneralizedTime.getInstance(it.next("validEnd"));
      s.sealName = name.getString();
      s.certListType = t;
      notes.add("seal type " + type.getValue() + ", certListType " + t + " (" + list.size() + " entries), valid "
          + vs.getTimeString() + " .. " + ve.getTimeString());
      return note("SES_ESPropertyInfo", q, seq(type, name, listType, certList, c, vs, ve));
    }

    // SES_SealInfo ::= SEQUENCE { header, esID IA5String, property, picture, extDatas OPTIONAL (untagged) }
    ASN1Primitive sealInfo(Object o, Ses s, boolean v1) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SES_SealInfo");
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(header(it.next("header"), s));
      DERIA5String esID = ia5(it.next("esID"), "SES_SealInfo.esID");
      s.esID = esID.getString();
      v.add(esID);
      v.add(v1 ? propertyV1(it.next("property"), s) : propertyV4(it.next("property"), s));
      v.add(picture(it.next("picture")));
      if (it.more()) v.add(extDatas(it.next("extDatas"), "SES_SealInfo.extDatas"));
      return note("SES_SealInfo", q, new DERSequence(v));
    }

    // v4/v5 SESeal ::= SEQUENCE { eSealInfo, cert OCTET STRING, signAlgID OID, signedValue BIT STRING,
    //   timeStamp [0] EXPLICIT BIT STRING OPTIONAL (v5) }
    ASN1Primitive sealV4(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SESeal");
      ASN1Primitive info = sealInfo(it.next("eSealInfo"), s, false);
      ASN1OctetString cert = ASN1OctetString.getInstance(it.next("cert"));
      ASN1ObjectIdentifier alg = ASN1ObjectIdentifier.getInstance(it.next("signAlgID"));
      DERBitString sig = bits(it.next("signedValue"), "SESeal.signedValue");
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(info);
      v.add(cert);
      v.add(alg);
      v.add(sig);
      if (it.more()) {
        Object ts = it.next("timeStamp");
        if (ts instanceof ASN1TaggedObject) {
          v.add(new DERTaggedObject(true, 0, bits(((ASN1TaggedObject) ts).getExplicitBaseObject(), "SESeal.timeStamp")));
          notes.add("SESeal carries a timeStamp");
        }
      }
      s.makerCert = cert.getOctets();
      s.makerAlg = alg.getId();
      s.makerSignature = bytesOf(sig);
      s.makerSigned = info;
      return s.eseal = note("SESeal", q, new DERSequence(v));
    }

    // v4/v5 TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime,
    //   dataHash BIT STRING, propertyInfo IA5String, extDatas [0] EXPLICIT ExtensionDatas OPTIONAL }
    ASN1Primitive tbsV4(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "TBS_Sign");
      ASN1Integer version = ASN1Integer.getInstance(it.next("version"));
      ASN1Primitive eseal = sealV4(it.next("eseal"), s);
      ASN1GeneralizedTime time = ASN1GeneralizedTime.getInstance(it.next("timeInfo"));
      DERBitString hash = bits(it.next("dataHash"), "TBS_Sign.dataHash");
      DERIA5String prop = ia5(it.next("propertyInfo"), "TBS_Sign.propertyInfo");
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(version);
      v.add(eseal);
      v.add(time);
      v.add(hash);
      v.add(prop);
      if (it.more()) {
        Object x = it.next("extDatas");
        if (x instanceof ASN1TaggedObject) {
          v.add(new DERTaggedObject(true, 0, extDatas(((ASN1TaggedObject) x).getExplicitBaseObject(), "TBS_Sign.extDatas")));
        } else {
          problems.add("TBS_Sign.extDatas is not [0] EXPLICIT (ofdrw ignores it)");
        }
      }
      s.timeInfo = time.getTimeString();
      s.dataHash = bytesOf(hash);
      s.propertyInfo = prop.getString();
      notes.add("TBS_Sign.version " + version.getValue());
      return s.tbs = note("TBS_Sign", q, new DERSequence(v));
    }

    // v4/v5 SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OID,
    //   signature BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
    Ses sesSignatureV4(ASN1Sequence q) {
      Ses s = new Ses();
      s.version = 4;
      It it = new It(q, "SES_Signature");
      ASN1Primitive tbs = tbsV4(it.next("toSign"), s);
      ASN1OctetString cert = ASN1OctetString.getInstance(it.next("cert"));
      ASN1ObjectIdentifier alg = ASN1ObjectIdentifier.getInstance(it.next("signatureAlgID"));
      DERBitString sig = bits(it.next("signature"), "SES_Signature.signature");
      ASN1EncodableVector v = new ASN1EncodableVector();
      v.add(tbs);
      v.add(cert);
      v.add(alg);
      v.add(sig);
      if (it.more()) {
        Object ts = it.next("timeStamp");
        if (ts instanceof ASN1TaggedObject) {
          v.add(new DERTaggedObject(true, 0, bits(((ASN1TaggedObject) ts).getExplicitBaseObject(), "SES_Signature.timeStamp")));
          notes.add("SES_Signature carries a timeStamp (not verified, as in ofdrw)");
        } else {
          problems.add("SES_Signature.timeStamp is not [0] EXPLICIT (ofdrw ignores it)");
        }
      }
      s.signerCert = cert.getOctets();
      s.signAlg = alg.getId();
      s.signature = bytesOf(sig);
      s.rebuilt = note("SES_Signature", q, new DERSequence(v));
      return s;
    }

    // ---- v1 (GM/T 0031-2014) ----

    ASN1Primitive utcTime(Object o, String where) {
      if (o instanceof ASN1GeneralizedTime) {  // ofdrw converts it to UTCTime; the re-encoding then differs
        problems.add(where + " is GeneralizedTime, v1 needs UTCTime");
        return ((ASN1GeneralizedTime) o).toASN1Primitive();
      }
      return ASN1UTCTime.getInstance(o);
    }

    // v1 SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certList SEQUENCE OF cert,
    //   createDate/validStart/validEnd UTCTime }
    ASN1Primitive propertyV1(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SES_ESPropertyInfo");
      ASN1Integer type = ASN1Integer.getInstance(it.next("type"));
      DERUTF8String name = utf8(it.next("name"), "SES_ESPropertyInfo.name");
      ASN1Sequence certList = ASN1Sequence.getInstance(it.next("certList"));
      for (ASN1Encodable c : certList) {
        if (c instanceof ASN1OctetString) s.certList.add(((ASN1OctetString) c).getOctets());
      }
      ASN1Primitive c = utcTime(it.next("createDate"), "createDate");
      ASN1Primitive vs = utcTime(it.next("validStart"), "validStart");
      ASN1Primitive ve = utcTime(it.next("validEnd"), "validEnd");
      s.sealName = name.getString();
      notes.add("seal type " + type.getValue() + ", certList " + certList.size() + " entries");
      return note("SES_ESPropertyInfo", q, seq(type, name, certList, c, vs, ve));
    }

    // v1 SESeal ::= SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }
    // SES_SignInfo ::= SEQUENCE { cert OCTET STRING, signatureAlgorithm OID, signData BIT STRING }
    ASN1Primitive sealV1(Object o, Ses s) {
      ASN1Sequence q = ASN1Sequence.getInstance(o);
      It it = new It(q, "SESeal");
      ASN1Primitive info = sealInfo(it.next("esealInfo"), s, true);
      ASN1Sequence si = ASN1Sequence.getInstance(it.next("signInfo"));
      It sit = new It(si, "SES_SignInfo");
      ASN1OctetString cert = ASN1OctetString.getInstance(sit.next("cert"));
      ASN1ObjectIdentifier alg = ASN1ObjectIdentifier.getInstance(sit.next("signatureAlgorithm"));
      DERBitString sig = bits(sit.next("signData"), "SES_SignInfo.signData");
      ASN1Primitive signInfo = note("SES_SignInfo", si, seq(cert, alg, sig));
      s.makerCert = cert.getOctets();
      s.makerAlg = alg.getId();
      s.makerSignature = bytesOf(sig);
      s.makerSigned = seq(info, cert, alg);  // GM/T 0031-2014 6.1.1.2
      return s.eseal = note("SESeal", q, seq(info, signInfo));
    }

    DERBitString v1Bits(Object o, String where) {
      if (o instanceof ASN1OctetString) {  // ofdrw converts it; the re-encoding then differs
        problems.add(where + " is an OCTET STRING, v1 needs BIT STRING");
        return new DERBitString(((ASN1OctetString) o).getOctets());
      }
      return bits(o, where);
    }

    // v1 TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo BIT STRING, dataHash BIT STRING,
    //   propertyInfo IA5String, cert OCTET STRING, signatureAlgorithm OID }
    // v1 SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }
    Ses sesSignatureV1(ASN1Sequence q) {
      Ses s = new Ses();
      s.version = 1;
      It it = new It(q, "SES_Signature");
      ASN1Sequence t = ASN1Sequence.getInstance(it.next("toSign"));
      It ti = new It(t, "TBS_Sign");
      ASN1Integer version = ASN1Integer.getInstance(ti.next("version"));
      ASN1Primitive eseal = sealV1(ti.next("eseal"), s);
      DERBitString time = v1Bits(ti.next("timeInfo"), "TBS_Sign.timeInfo");
      DERBitString hash = v1Bits(ti.next("dataHash"), "TBS_Sign.dataHash");
      DERIA5String prop = ia5(ti.next("propertyInfo"), "TBS_Sign.propertyInfo");
      ASN1OctetString cert = ASN1OctetString.getInstance(ti.next("cert"));
      ASN1ObjectIdentifier alg = ASN1ObjectIdentifier.getInstance(ti.next("signatureAlgorithm"));
      s.tbs = note("TBS_Sign", t, seq(version, eseal, time, hash, prop, cert, alg));
      DERBitString sig = bits(it.next("signature"), "SES_Signature.signature");
      s.timeInfo = "'" + new String(bytesOf(time), StandardCharsets.ISO_8859_1) + "'";
      s.dataHash = bytesOf(hash);
      s.propertyInfo = prop.getString();
      s.signerCert = cert.getOctets();
      s.signAlg = alg.getId();
      s.signature = bytesOf(sig);
      notes.add("TBS_Sign.version " + version.getValue());
      s.rebuilt = note("SES_Signature", q, seq(s.tbs, sig));
      return s;
    }
  }

  // ---- (3) Type=Sign: GB/T 35275 SignedData, or a bare SM2 value with --cert ----

  void verifySign(String tag, String method, byte[] sigXml, byte[] sv) throws Exception {
    info(tag, "SignatureMethod " + method);
    ASN1Sequence top = ASN1Sequence.getInstance(readDer(sv));
    if (top.size() == 2 && top.getObjectAt(0) instanceof ASN1Integer && top.getObjectAt(1) instanceof ASN1Integer) {
      if (certPem == null) {
        bad(tag, "bare SM2 signature value: needs --cert", "bare-sm2-needs-cert");
        return;
      }
      X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509", BC)
          .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Paths.get(certPem))));
      check(verifySm2(c, method, sigXml, sv, tag), tag, method + " over Signature.xml with --cert", "signature");
      return;
    }
    // ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
    ASN1ObjectIdentifier ct = ASN1ObjectIdentifier.getInstance(top.getObjectAt(0));
    if (!GBT35275_SIGNED_DATA.equals(ct.getId())) {
      bad(tag, "ContentInfo type " + ct.getId() + " is not GB/T 35275 signedData", "content-type " + ct.getId());
      return;
    }
    ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(top.getObjectAt(1));
    if (!tagged.isExplicit() || tagged.getTagNo() != 0) throw new IllegalArgumentException("ContentInfo.content is not [0] EXPLICIT");
    check(Arrays.equals(top.getEncoded("DER"), sv), tag, "SignedValue.dat is DER (BC DER re-encoding identical)",
        "der-reencode SignedData");
    // SignedData ::= SEQUENCE { version, digestAlgorithms SET, contentInfo, [0] IMPLICIT certificates OPTIONAL,
    //   [1] IMPLICIT crls OPTIONAL, signerInfos SET }
    ASN1Sequence sd = ASN1Sequence.getInstance(tagged.getExplicitBaseObject());
    Enumeration<?> e = sd.getObjects();
    ASN1Integer.getInstance(e.nextElement());
    ASN1Set.getInstance(e.nextElement());
    ASN1Sequence contentInfo = ASN1Sequence.getInstance(e.nextElement());
    ASN1Set certs = null;
    ASN1Set signerInfos = null;
    while (e.hasMoreElements()) {
      Object o = e.nextElement();
      if (o instanceof ASN1TaggedObject) {
        ASN1TaggedObject t = (ASN1TaggedObject) o;
        if (t.getTagNo() == 0) certs = ASN1Set.getInstance(t, false);
        else if (t.getTagNo() != 1) throw new IllegalArgumentException("SignedData: unexpected tag [" + t.getTagNo() + "]");
      } else {
        signerInfos = ASN1Set.getInstance(o);
      }
    }
    if (signerInfos == null || signerInfos.size() == 0) throw new IllegalArgumentException("SignedData has no signerInfos");
    byte[] digest = sm3(sigXml);
    byte[] content = null;
    if (contentInfo.size() > 1) {
      ASN1TaggedObject c = ASN1TaggedObject.getInstance(contentInfo.getObjectAt(1));
      content = ASN1OctetString.getInstance(c.getExplicitBaseObject()).getOctets();
      boolean plain = Arrays.equals(content, digest);
      boolean b64 = false;
      if (!plain) {
        try {
          b64 = Arrays.equals(Base64.getDecoder().decode(new String(content, StandardCharsets.US_ASCII)), digest);
        } catch (IllegalArgumentException x) {
          b64 = false;
        }
      }
      check(plain || b64, tag, "SignedData content == SM3(Signature.xml)" + (b64 ? " (base64 form)" : ""),
          "content-digest");
    } else {
      info(tag, "SignedData content is detached");
    }
    int i = 0;
    for (ASN1Encodable item : signerInfos) {
      String st = tag + "[signer " + i++ + "]";
      // SignerInfo ::= SEQUENCE { version, issuerAndSerialNumber, digestAlgorithm,
      //   authenticatedAttributes [0] IMPLICIT OPTIONAL, digestEncryptionAlgorithm, encryptedDigest OCTET STRING, ... }
      ASN1Sequence si = ASN1Sequence.getInstance(item);
      Enumeration<?> f = si.getObjects();
      ASN1Integer.getInstance(f.nextElement());
      ASN1Sequence ias = ASN1Sequence.getInstance(f.nextElement());
      X500Name issuer = X500Name.getInstance(ias.getObjectAt(0));
      BigInteger serial = ASN1Integer.getInstance(ias.getObjectAt(1)).getValue();
      ASN1Sequence digestAlg = ASN1Sequence.getInstance(f.nextElement());
      Object next = f.nextElement();
      ASN1Set attrs = null;
      if (next instanceof ASN1TaggedObject) {
        attrs = ASN1Set.getInstance((ASN1TaggedObject) next, false);
        next = f.nextElement();
      }
      ASN1Sequence encAlg = ASN1Sequence.getInstance(next);
      byte[] sigValue = ASN1OctetString.getInstance(f.nextElement()).getOctets();
      info(st, "digestAlgorithm " + ASN1ObjectIdentifier.getInstance(digestAlg.getObjectAt(0)).getId()
          + ", digestEncryptionAlgorithm " + ASN1ObjectIdentifier.getInstance(encAlg.getObjectAt(0)).getId());
      byte[] message;
      if (attrs != null) {
        byte[] md = null;
        for (ASN1Encodable a : attrs) {
          ASN1Sequence attr = ASN1Sequence.getInstance(a);
          String oid = ASN1ObjectIdentifier.getInstance(attr.getObjectAt(0)).getId();
          ASN1Set values = ASN1Set.getInstance(attr.getObjectAt(1));
          info(st, "signed attribute " + oid);
          if (oid.equals(PKCS9_MESSAGE_DIGEST)) md = ASN1OctetString.getInstance(values.getObjectAt(0)).getOctets();
        }
        check(md != null && Arrays.equals(md, digest), st, "messageDigest attribute == SM3(Signature.xml)", "message-digest");
        // ofdrw verifies over the attributes as sent (getEncoded()), and so do GOMAIN's signers, whose
        // attributes are not in DER SET order. RFC 5652 verifiers re-encode them as DER (sorted) first,
        // so a signer should send them sorted; --strict requires that.
        message = attrs.getEncoded();
        boolean sorted = Arrays.equals(message, attrs.getEncoded("DER"));
        if (strict) {
          check(sorted, st, "signed attributes are in DER SET order (--strict)", "attributes-not-der");
        } else if (!sorted) {
          info(st, "signed attributes are not in DER SET order (accepted, as ofdrw does; --strict rejects)");
        }
      } else {
        if (content == null) {
          bad(st, "no signed attributes and no content: nothing was signed", "no-content");
          continue;
        }
        message = content;
      }
      X509Certificate signer = null;
      if (certs != null) {
        for (ASN1Encodable c : certs) {
          org.bouncycastle.asn1.x509.Certificate bc = org.bouncycastle.asn1.x509.Certificate.getInstance(c);
          if (bc.getSerialNumber().getValue().equals(serial) && bc.getIssuer().equals(issuer)) {
            signer = cert(bc.getEncoded("DER"));
            break;
          }
        }
      }
      if (signer == null) {
        bad(st, "no certificate in SignedData.certificates matches issuerAndSerialNumber", "cert-not-found");
        continue;
      }
      info(st, "signer certificate: " + signer.getSubjectX500Principal().getName());
      check(verifySm2(signer, method, message, sigValue, st), st,
          method + " over " + (attrs != null ? "DER(signed attributes)" : "the content"), "signature");
    }
  }

  /** Page IDs listed in Document.xml (Pages/Page/@ID), or null when it cannot be read. */
  java.util.Set<String> pageIdsOf(Pkg pkg, String docRoot) {
    try {
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (Element p : children(child(xml(pkg.read(docRoot)), "Pages"), "Page")) ids.add(p.getAttribute("ID"));
      return ids;
    } catch (Exception e) {
      info("", "cannot read the page list of " + docRoot + ": " + e);
      return null;
    }
  }

  // ---- crypto helpers ----

  static byte[] sm3(byte[] data) throws Exception { return MessageDigest.getInstance("SM3", BC).digest(data); }

  static X509Certificate cert(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509", BC).generateCertificate(new ByteArrayInputStream(der));
  }

  /** SM3withSM2 (default user ID 1234567812345678) as ofdrw calls it; alg null means "SM3withSM2". */
  boolean verifySm2(X509Certificate cert, String alg, byte[] message, byte[] sig, String tag) {
    try {
      Signature s = Signature.getInstance(alg == null ? "SM3withSM2" : alg, BC);
      if (alg == null) s.initVerify(cert); else s.initVerify(cert.getPublicKey());  // GBT35275Validate uses the bare key
      s.update(message);
      return s.verify(sig);
    } catch (Exception e) {
      info(tag, "signature check threw " + e + (sig.length == 64 ? " (value is 64 bytes: raw r||s, not DER)" : ""));
      return false;
    }
  }

  static ASN1Primitive readDer(byte[] b) throws IOException {
    try (ASN1InputStream in = new ASN1InputStream(b)) {
      ASN1Primitive p = in.readObject();
      if (p == null) throw new IOException("empty ASN.1 value");
      return p;
    }
  }

  // ---- package paths (ofdrw ResourceLocator.toAbsolutePath semantics) ----

  static String resolve(String dir, String loc) {
    if (loc == null || loc.trim().isEmpty()) throw new IllegalArgumentException("empty path");
    List<String> parts = new ArrayList<>();
    if (!loc.startsWith("/")) for (String p : dir.split("/")) if (!p.isEmpty()) parts.add(p);
    for (String p : loc.split("/")) {
      p = p.trim();
      if (p.isEmpty() || p.equals(".")) continue;
      if (p.equals("..")) {
        if (!parts.isEmpty()) parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return "/" + String.join("/", parts);
  }

  static String dirOf(String abs) {
    int i = abs.lastIndexOf('/');
    return i <= 0 ? "/" : abs.substring(0, i);
  }

  /** An OFD zip, read entry by entry with a size bound. */
  static final class Pkg implements Closeable {
    final ZipFile zip;
    final Map<String, ZipEntry> entries = new HashMap<>();

    Pkg(ZipFile zip) throws IOException {
      this.zip = zip;
      Enumeration<? extends ZipEntry> e = zip.entries();
      while (e.hasMoreElements()) {
        ZipEntry z = e.nextElement();
        if (entries.size() >= MAX_ENTRIES) throw new IOException("more than " + MAX_ENTRIES + " zip entries");
        String name = z.getName();
        while (name.startsWith("/")) name = name.substring(1);
        if (!z.isDirectory()) entries.putIfAbsent(name, z);
      }
    }

    static Pkg open(File f) throws IOException {
      try {
        return new Pkg(new ZipFile(f, StandardCharsets.UTF_8));
      } catch (ZipException e) {  // names in a legacy code page
        return new Pkg(new ZipFile(f, Charset.forName("GB18030")));
      }
    }

    byte[] read(String abs) throws IOException {
      ZipEntry z = entries.get(abs.substring(1));
      if (z == null) throw new FileNotFoundException("not in the package: " + abs);
      if (z.getSize() > MAX_ENTRY) throw new IOException(abs + " is larger than 64 MB");
      try (InputStream in = zip.getInputStream(z)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0;) {
          total += n;
          if (total > MAX_ENTRY) throw new IOException(abs + " is larger than 64 MB");
          out.write(buf, 0, n);
        }
        return out.toByteArray();
      }
    }

    @Override
    public void close() throws IOException { zip.close(); }
  }

  // ---- XML (no DTDs, no external entities) ----

  static Element xml(byte[] b) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setExpandEntityReferences(false);
    DocumentBuilder db = f.newDocumentBuilder();
    db.setErrorHandler(null);
    Document d = db.parse(new ByteArrayInputStream(b));
    return d.getDocumentElement();
  }

  static String local(Node n) { return n.getLocalName() != null ? n.getLocalName() : n.getNodeName(); }

  static List<Element> children(Element e, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeType() == Node.ELEMENT_NODE && local(n).equals(name)) out.add((Element) n);
    }
    return out;
  }

  static Element child(Element e, String name) {
    List<Element> l = children(e, name);
    return l.isEmpty() ? null : l.get(0);
  }

  static String text(Element e) { return e == null ? "" : e.getTextContent().trim(); }
}
