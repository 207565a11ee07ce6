// TsaBcOracle: an independent RFC 3161 timestamp oracle on BouncyCastle (bcprov + bcpkix + bcutil),
// for eseal's timestamp tokens (时间戳令牌). It shares no code with eseal's C++ tsp module: it reads
// eseal's tokens with BC's TSP/CMS classes, and it is a TSA eseal did not write (BC's
// TimeStampTokenGenerator, the one SM2 token generator packaged in Debian), for eseal to verify
// and to ask over HTTP. See docs/trusted-time.md, "Independent checks (BouncyCastle)".
//
//   check-token REPLY.tsr DATA ROOT.pem [ISSUING.pem]
//       BC parses the TimeStampResp; status granted; TimeStampToken.validate() with an SM3withSM2
//       SignerInformationVerifier (JcaSimpleSignerInfoVerifierBuilder, BC provider; default SM2 ID)
//       on the TSA certificate from the token; signingCertificateV2 (ESSCertIDv2) present; the
//       TSA certificate's extendedKeyUsage critical and timeStamping alone (asserted here and by
//       BC's TSPUtil.validateCertificate); imprint = SM3(DATA); the TSA certificate chains to
//       ROOT through the token's certificates and ISSUING (each signature checked by BC, each
//       certificate valid at genTime) and BC's PKIX CertPathValidator accepts the path.
//       Prints "ok <check>" / "BAD <check>: reason" lines, then "OK ..." or "FAIL <check>[,...]"
//       naming every failed check. Exit 0 OK, 1 FAIL, 2 usage/unreadable input.
//   make-tsa OUTDIR [--eku critical|noncritical|none|extra]
//       BC makes an SM2 root CA and an SM2 TSA certificate (keyUsage digitalSignature +
//       nonRepudiation, critical; extendedKeyUsage timeStamping, critical by default) and writes
//       OUTDIR/root.pem, OUTDIR/tsa.pem (certificate), OUTDIR/tsa.key (PKCS#8 PEM).
//       --eku noncritical: the EKU is not marked critical; none: no EKU; extra: critical but
//       timeStamping + serverAuth. (For negative tests: RFC 3161 §2.3 forbids all three.)
//   stamp OUTDIR REQ.tsq OUT.tsr [--certid sm3|sha256] [--unchecked-eku]
//       Answers an RFC 3161 request with BC's TimeStampResponseGenerator / TimeStampTokenGenerator
//       (SM3withSM2 signer, ESSCertIDv2 with SM3 by default, policy 1.3.6.1.4.1.32473.2.99,
//       accuracy 1 s, tsa name, certReq honoured). BC's generator refuses a TSA certificate whose
//       EKU is not critical and timeStamping-only; --unchecked-eku then builds the same token with
//       BC's CMSSignedDataGenerator instead (for negative tests of verifiers). Exit 0 with a reply
//       written (granted or a rejection), 3 "REFUSED <BC's reason>" when BC's generator refuses.
//   serve OUTDIR PORTFILE [--unchecked-eku]
//       An HTTP TSA (RFC 3161 §3.4) on 127.0.0.1, ephemeral port written to PORTFILE: POST
//       application/timestamp-query -> 200 application/timestamp-reply, same generator as stamp
//       (--unchecked-eku as there). Logs one line per request to stderr. Runs until killed.
//
// Run as a single-file program (Java 11+):
//   java -cp /usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar \
//       tests/interop/TsaBcOracle.java check-token resp.tsr data.bin root.pem
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.FileReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.ess.ESSCertIDv2;
import org.bouncycastle.asn1.ess.SigningCertificateV2;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.tsp.Accuracy;
import org.bouncycastle.asn1.tsp.TSTInfo;
import org.bouncycastle.asn1.tsp.TimeStampResp;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuerSerial;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPUtil;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.bouncycastle.tsp.TimeStampTokenInfo;
import org.bouncycastle.util.Store;
import org.bouncycastle.util.encoders.Hex;

public class TsaBcOracle {
  static final String BC = "BC";
  static final String SIG_ALG = "SM3withSM2";  // default SM2 ID 1234567812345678
  /** A test policy of this oracle, under the documentation arc eseal's own TSA policy uses. */
  static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.32473.2.99");
  static final SecureRandom RNG = new SecureRandom();

  public static void main(String[] args) throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    if (args.length == 0) usage();
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    switch (args[0]) {
      case "check-token":
        if (rest.size() < 3 || rest.size() > 4) usage();
        System.exit(checkToken(rest.get(0), rest.get(1), rest.get(2), rest.size() == 4 ? rest.get(3) : null));
        break;
      case "make-tsa": {
        String eku = option(rest, "--eku", "critical");
        if (rest.size() != 1 || !Arrays.asList("critical", "noncritical", "none", "extra").contains(eku)) usage();
        makeTsa(Paths.get(rest.get(0)), eku);
        break;
      }
      case "stamp": {
        String certId = option(rest, "--certid", "sm3");
        boolean unchecked = rest.remove("--unchecked-eku");
        if (rest.size() != 3 || !(certId.equals("sm3") || certId.equals("sha256"))) usage();
        Tsa tsa = new Tsa(Paths.get(rest.get(0)), certId, unchecked);
        byte[] reply;
        try {
          reply = tsa.answer(Files.readAllBytes(Paths.get(rest.get(1))));
        } catch (TsaRefused e) {
          System.out.println("REFUSED " + e.getMessage());
          System.exit(3);
          return;
        }
        Files.write(Paths.get(rest.get(2)), reply);
        System.out.println("reply written to " + rest.get(2) + ": " + tsa.lastOutcome);
        break;
      }
      case "serve": {
        boolean unchecked = rest.remove("--unchecked-eku");
        if (rest.size() != 2) usage();
        serve(new Tsa(Paths.get(rest.get(0)), "sm3", unchecked), Paths.get(rest.get(1)));
        break;
      }
      default:
        usage();
    }
  }

  static void usage() {
    System.err.println("usage: TsaBcOracle check-token REPLY.tsr DATA ROOT.pem [ISSUING.pem]\n"
        + "       TsaBcOracle make-tsa OUTDIR [--eku critical|noncritical|none|extra]\n"
        + "       TsaBcOracle stamp OUTDIR REQ.tsq OUT.tsr [--certid sm3|sha256] [--unchecked-eku]\n"
        + "       TsaBcOracle serve OUTDIR PORTFILE [--unchecked-eku]");
    System.exit(2);
  }

  static String option(List<String> args, String name, String dflt) {
    int i = args.indexOf(name);
    if (i < 0) return dflt;
    if (i + 1 >= args.size()) usage();
    String v = args.get(i + 1);
    args.remove(i + 1);
    args.remove(i);
    return v;
  }

  // ---------------------------------------------------------------------------------------------
  // check-token
  // ---------------------------------------------------------------------------------------------

  static final List<String> failed = new ArrayList<>();

  static void ok(String check, String detail) {
    System.out.println("ok   " + check + (detail.isEmpty() ? "" : ": " + detail));
  }

  static void bad(String check, String reason) {
    System.out.println("BAD  " + check + ": " + reason);
    if (!failed.contains(check)) failed.add(check);
  }

  static int finish(String okLine) {
    if (failed.isEmpty()) {
      System.out.println("OK " + okLine);
      return 0;
    }
    System.out.println("FAIL " + String.join(",", failed));
    return 1;
  }

  static int checkToken(String replyPath, String dataPath, String rootPath, String issuingPath) {
    byte[] replyDer;
    byte[] data;
    X509CertificateHolder root;
    List<X509CertificateHolder> extra = new ArrayList<>();
    try {
      replyDer = Files.readAllBytes(Paths.get(replyPath));
      data = Files.readAllBytes(Paths.get(dataPath));
      List<X509CertificateHolder> roots = readCerts(rootPath);
      if (roots.size() != 1) throw new IOException(rootPath + ": expected one certificate, found " + roots.size());
      root = roots.get(0);
      if (issuingPath != null) extra.addAll(readCerts(issuingPath));
    } catch (Exception e) {
      System.out.println("FAIL input: " + e);
      return 2;
    }

    // 1. BC parses the TimeStampResp; status granted (0).
    TimeStampResponse resp;
    try {
      resp = new TimeStampResponse(replyDer);
    } catch (Exception e) {
      bad("parse", "BC cannot parse the TimeStampResp: " + e.getMessage());
      return finish("");
    }
    if (resp.getStatus() != PKIStatus.GRANTED) {
      bad("status", "status " + resp.getStatus() + " (" + resp.getStatusString() + "), failInfo "
          + failInfoNames(resp.getFailInfo()));
      return finish("");
    }
    ok("status", "granted");
    TimeStampToken token = resp.getTimeStampToken();
    if (token == null) {
      bad("status", "granted but no token");
      return finish("");
    }
    // The reply re-encoded by BC must be the bytes we read (DER both ways).
    try {
      if (Arrays.equals(resp.getEncoded(), replyDer)) ok("der", "BC re-encodes the reply to the same bytes");
      else bad("der", "BC re-encodes the reply differently (not DER?)");
    } catch (IOException e) {
      bad("der", e.toString());
    }
    TimeStampTokenInfo info = token.getTimeStampInfo();
    Date genTime = info.getGenTime();
    ok("tst-info", "genTime " + iso(genTime) + ", policy " + info.getPolicy() + ", serial "
        + info.getSerialNumber().toString(16) + ", nonce "
        + (info.getNonce() == null ? "none" : info.getNonce().toString(16))
        + ", tsa " + (info.getTsa() == null ? "none" : info.getTsa().toString()));

    // 2. The SignerInfo: SM3 digest, SM2 signature, signingCertificateV2 present.
    SignerInformation si = token.toCMSSignedData().getSignerInfos().getSigners().iterator().next();
    String digestOid = si.getDigestAlgOID();
    String sigOid = si.getEncryptionAlgOID();
    if (GMObjectIdentifiers.sm3.getId().equals(digestOid)
        && (GMObjectIdentifiers.sm2sign_with_sm3.getId().equals(sigOid) || GMObjectIdentifiers.sm2p256v1.getId().equals(sigOid)))
      ok("algorithms", "digest SM3 " + digestOid + ", signature " + sigOid);
    else bad("algorithms", "digest " + digestOid + ", signature " + sigOid + " (want SM3 and SM2)");
    AttributeTable signed = token.getSignedAttributes();
    if (signed != null && signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2) != null) {
      SigningCertificateV2 scv2 = SigningCertificateV2.getInstance(
          signed.get(PKCSObjectIdentifiers.id_aa_signingCertificateV2).getAttrValues().getObjectAt(0));
      ESSCertIDv2 id = scv2.getCerts()[0];
      ok("ess-cert-id-v2", "signingCertificateV2 present, certHash " + id.getHashAlgorithm().getAlgorithm()
          + (id.getIssuerSerial() != null ? ", with issuerSerial" : ""));
    } else {
      bad("ess-cert-id-v2", "no signingCertificateV2 (ESSCertIDv2) signed attribute");
    }

    // 3. The TSA certificate, from the token's certificates (the request set certReq).
    X509CertificateHolder tsaCert = null;
    @SuppressWarnings("unchecked")
    Store<X509CertificateHolder> store = token.getCertificates();
    Collection<X509CertificateHolder> inToken = store.getMatches(null);
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> matches = store.getMatches(token.getSID());
    if (matches.size() == 1) {
      tsaCert = matches.iterator().next();
      ok("tsa-cert", tsaCert.getSubject() + " (the token carries " + inToken.size() + " certificate(s))");
    } else {
      bad("tsa-cert", matches.size() + " certificates in the token match the SignerInfo's sid");
      return finish("");
    }

    // 4. Our own explicit EKU check (RFC 3161 §2.3), then BC's TSPUtil.validateCertificate.
    Extension ekuExt = tsaCert.getExtension(Extension.extendedKeyUsage);
    if (ekuExt == null) bad("eku", "no extendedKeyUsage");
    else {
      ExtendedKeyUsage eku = ExtendedKeyUsage.getInstance(ekuExt.getParsedValue());
      if (!ekuExt.isCritical()) bad("eku", "extendedKeyUsage not marked critical");
      else if (eku.size() != 1 || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping))
        bad("eku", "extendedKeyUsage is not id-kp-timeStamping alone (" + eku.size() + " purposes)");
      else ok("eku", "critical, id-kp-timeStamping alone");
    }
    try {
      TSPUtil.validateCertificate(tsaCert);
      ok("bc-validate-certificate", "TSPUtil.validateCertificate accepts the TSA certificate");
    } catch (Exception e) {
      bad("bc-validate-certificate", e.getMessage());
    }
    KeyUsage ku = KeyUsage.fromExtensions(tsaCert.getExtensions());
    if (ku != null && ku.hasUsages(KeyUsage.digitalSignature)) ok("key-usage", "digitalSignature" + (ku.hasUsages(KeyUsage.nonRepudiation) ? " + nonRepudiation" : ""));
    else bad("key-usage", "keyUsage lacks digitalSignature");

    // 5. BC's own token validation: ESSCertID(v2) hash and issuerSerial against the certificate,
    //    TSPUtil.validateCertificate, certificate valid at genTime, and the CMS signature
    //    (messageDigest and contentType attributes, SM3withSM2 with the default SM2 ID).
    try {
      SignerInformationVerifier v = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(tsaCert);
      token.validate(v);
      ok("bc-validate", "TimeStampToken.validate(SM3withSM2 verifier) passed");
    } catch (Exception e) {
      bad("bc-validate", e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    // 6. The imprint: SM3 over DATA.
    try {
      String alg = info.getMessageImprintAlgOID().getId();
      byte[] want = MessageDigest.getInstance("SM3", BC).digest(data);
      if (!GMObjectIdentifiers.sm3.getId().equals(alg)) bad("imprint", "imprint algorithm " + alg + ", not SM3");
      else if (!MessageDigest.isEqual(want, info.getMessageImprintDigest()))
        bad("imprint", "hashedMessage " + Hex.toHexString(info.getMessageImprintDigest()) + " is not SM3(DATA) "
            + Hex.toHexString(want));
      else ok("imprint", "SM3(DATA) " + Hex.toHexString(want));
    } catch (Exception e) {
      bad("imprint", e.toString());
    }

    // 7. The chain: TSA certificate -> (token's certificates, ISSUING) -> ROOT, each signature
    //    checked by BC (SM3withSM2, default SM2 ID), each certificate valid at genTime.
    List<X509CertificateHolder> pool = new ArrayList<>(inToken);
    pool.addAll(extra);
    List<X509CertificateHolder> path = new ArrayList<>();
    String chainError = null;
    try {
      X509CertificateHolder cur = tsaCert;
      for (int depth = 0; chainError == null; depth++) {
        path.add(cur);
        if (!cur.isValidOn(genTime)) chainError = cur.getSubject() + " not valid at genTime";
        else if (cur.getIssuer().equals(root.getSubject())) {
          if (!cur.isSignatureValid(verifier(root))) chainError = cur.getSubject() + ": signature by the root does not verify";
          break;
        } else if (depth >= 5) chainError = "no path to the root within 6 certificates";
        else {
          X509CertificateHolder next = null;
          for (X509CertificateHolder c : pool)
            if (c.getSubject().equals(cur.getIssuer()) && !c.equals(cur) && cur.isSignatureValid(verifier(c))) next = c;
          if (next == null) chainError = "no issuer of " + cur.getSubject() + " (" + cur.getIssuer() + ") verifies its signature";
          else if (!isCa(next)) chainError = next.getSubject() + " is not a CA (basicConstraints)";
          cur = next;
        }
      }
      if (chainError == null && !root.isSignatureValid(verifier(root))) chainError = "the root's self-signature does not verify";
      if (chainError == null && !root.isValidOn(genTime)) chainError = "the root is not valid at genTime";
    } catch (Exception e) {
      chainError = e.toString();
    }
    if (chainError == null) {
      StringBuilder sb = new StringBuilder();
      for (X509CertificateHolder c : path) sb.append(c.getSubject()).append(" <- ");
      ok("chain", sb.append(root.getSubject()).toString());
      // The same path through BC's PKIX validator (revocation off, at genTime). BC's PKIX
      // accepts the critical extendedKeyUsage of the leaf by itself (measured: no checker needed).
      try {
        JcaX509CertificateConverter conv = new JcaX509CertificateConverter().setProvider(BC);
        List<X509Certificate> certs = new ArrayList<>();
        for (X509CertificateHolder c : path) certs.add(conv.getCertificate(c));
        CertPath cp = CertificateFactory.getInstance("X.509", BC).generateCertPath(certs);
        PKIXParameters params = new PKIXParameters(Collections.singleton(new TrustAnchor(conv.getCertificate(root), null)));
        params.setRevocationEnabled(false);
        params.setDate(genTime);
        CertPathValidator.getInstance("PKIX", BC).validate(cp, params);
        ok("pkix", "BC's PKIX CertPathValidator accepts the path at genTime");
      } catch (Exception e) {
        bad("pkix", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    } else {
      bad("chain", chainError);
    }
    return finish("token: genTime " + iso(genTime) + ", serial " + info.getSerialNumber().toString(16)
        + ", TSA " + tsaCert.getSubject());
  }

  /** BC's names of the failInfo bits (PKIFailureInfo constants), e.g. "unacceptedPolicy". */
  static String failInfoNames(org.bouncycastle.asn1.cmp.PKIFailureInfo fi) {
    if (fi == null) return "none";
    List<String> names = new ArrayList<>();
    for (java.lang.reflect.Field f : org.bouncycastle.asn1.cmp.PKIFailureInfo.class.getFields()) {
      try {
        if (f.getType() == int.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())
            && Character.isLowerCase(f.getName().charAt(0)) && (fi.intValue() & f.getInt(null)) != 0
            && !names.contains(f.getName()))
          names.add(f.getName());
      } catch (IllegalAccessException ignored) {
      }
    }
    return names.isEmpty() ? "0x" + Integer.toHexString(fi.intValue()) : String.join("+", names);
  }

  static boolean isCa(X509CertificateHolder c) {
    BasicConstraints bc = BasicConstraints.fromExtensions(c.getExtensions());
    return bc != null && bc.isCA();
  }

  static org.bouncycastle.operator.ContentVerifierProvider verifier(X509CertificateHolder issuer) throws Exception {
    return new JcaContentVerifierProviderBuilder().setProvider(BC).build(issuer);
  }

  static List<X509CertificateHolder> readCerts(String path) throws Exception {
    List<X509CertificateHolder> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Paths.get(path))) {
      for (Certificate c : CertificateFactory.getInstance("X.509", BC).generateCertificates(in))
        out.add(new X509CertificateHolder(c.getEncoded()));
    }
    return out;
  }

  static String iso(Date d) {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(d);
  }

  // ---------------------------------------------------------------------------------------------
  // make-tsa
  // ---------------------------------------------------------------------------------------------

  static KeyPair sm2KeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec("sm2p256v1"), RNG);
    return g.generateKeyPair();
  }

  static BigInteger serial() {
    return new BigInteger(64, RNG).setBit(63);  // 8 positive octets
  }

  static void makeTsa(Path dir, String ekuMode) throws Exception {
    Files.createDirectories(dir);
    long now = System.currentTimeMillis();
    Date notBefore = new Date(now - 24L * 3600 * 1000);
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

    KeyPair rootKey = sm2KeyPair();
    X500Name rootName = new X500Name("C=CN,O=BC Oracle,CN=BC Oracle Root CA");
    JcaX509v3CertificateBuilder rb = new JcaX509v3CertificateBuilder(rootName, serial(), notBefore,
        new Date(now + 10L * 365 * 24 * 3600 * 1000), rootName, rootKey.getPublic());
    rb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    rb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    rb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKey.getPublic()));
    ContentSigner rootSigner = new JcaContentSignerBuilder(SIG_ALG).setProvider(BC).build(rootKey.getPrivate());
    X509CertificateHolder root = rb.build(rootSigner);

    KeyPair tsaKey = sm2KeyPair();
    JcaX509v3CertificateBuilder tb = new JcaX509v3CertificateBuilder(rootName, serial(), notBefore,
        new Date(now + 365L * 24 * 3600 * 1000), new X500Name("C=CN,O=BC Oracle TSA,CN=BC Oracle TSA"),
        tsaKey.getPublic());
    tb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    tb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
    switch (ekuMode) {
      case "critical":
        tb.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        break;
      case "noncritical":
        tb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        break;
      case "extra":
        tb.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(
            new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_serverAuth}));
        break;
      default:  // none
        break;
    }
    tb.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(tsaKey.getPublic()));
    tb.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root));
    X509CertificateHolder tsa = tb.build(rootSigner);

    writePem(dir.resolve("root.pem"), root);
    writePem(dir.resolve("tsa.pem"), tsa);
    writePem(dir.resolve("tsa.key"), new JcaPKCS8Generator(tsaKey.getPrivate(), null));
    dir.resolve("tsa.key").toFile().setReadable(false, false);
    dir.resolve("tsa.key").toFile().setReadable(true, true);
    System.out.println("BC TSA written to " + dir + " (root.pem, tsa.pem, tsa.key; EKU " + ekuMode + ")");
  }

  static void writePem(Path p, Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    Files.write(p, sw.toString().getBytes(StandardCharsets.US_ASCII));
  }

  // ---------------------------------------------------------------------------------------------
  // stamp / serve: a TSA on BC's generator
  // ---------------------------------------------------------------------------------------------

  static final class TsaRefused extends Exception {
    private static final long serialVersionUID = 1L;

    TsaRefused(String m) { super(m); }
  }

  static final class Tsa {
    final PrivateKey key;
    final X509CertificateHolder cert;
    final String certId;
    final boolean unchecked;
    volatile String lastOutcome = "";

    Tsa(Path dir, String certId, boolean unchecked) throws Exception {
      this.cert = readCerts(dir.resolve("tsa.pem").toString()).get(0);
      try (PEMParser p = new PEMParser(new FileReader(dir.resolve("tsa.key").toFile()))) {
        this.key = new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(PrivateKeyInfo.getInstance(p.readObject()));
      }
      this.certId = certId;
      this.unchecked = unchecked;
    }

    DigestCalculator certIdDigest() throws Exception {
      ASN1ObjectIdentifier alg = certId.equals("sm3") ? GMObjectIdentifiers.sm3 : NISTObjectIdentifiers.id_sha256;
      return new JcaDigestCalculatorProviderBuilder().setProvider(BC).build().get(new AlgorithmIdentifier(alg));
    }

    SignerInfoGenerator signer(AttributeTable extraSigned) throws Exception {
      JcaSimpleSignerInfoGeneratorBuilder b = new JcaSimpleSignerInfoGeneratorBuilder().setProvider(BC);
      if (extraSigned != null) b.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(extraSigned));
      return b.build(SIG_ALG, key, cert);
    }

    /** One request in, one DER TimeStampResp out (a rejection when the request is refused). */
    synchronized byte[] answer(byte[] reqDer) throws Exception {
      TimeStampRequest req;
      try {
        req = new TimeStampRequest(reqDer);
      } catch (Exception e) {
        lastOutcome = "rejected: unreadable request (" + e.getMessage() + ")";
        return new TimeStampResponseGenerator(null, TSPAlgorithms.ALLOWED)
            .generateFailResponse(PKIStatus.REJECTION, org.bouncycastle.asn1.cmp.PKIFailureInfo.badDataFormat,
                "unreadable request").getEncoded();
      }
      BigInteger serial = serial();
      Date now = new Date((System.currentTimeMillis() / 1000) * 1000);
      if (unchecked) {
        lastOutcome = "granted (CMSSignedDataGenerator, EKU unchecked), serial " + serial.toString(16);
        return uncheckedToken(req, serial, now);
      }
      TimeStampTokenGenerator tg;
      try {
        tg = new TimeStampTokenGenerator(signer(null), certIdDigest(), POLICY);
      } catch (TSPException | IllegalArgumentException e) {
        throw new TsaRefused("BC's TimeStampTokenGenerator refuses the TSA certificate: " + e.getMessage());
      }
      tg.setAccuracySeconds(1);
      tg.setTSA(new GeneralName(cert.getSubject()));
      tg.addCertificates(new JcaCertStore(Collections.singletonList(cert)));  // only when certReq
      TimeStampResponseGenerator rg = new TimeStampResponseGenerator(tg, TSPAlgorithms.ALLOWED,
          Collections.singleton(POLICY));
      TimeStampResponse resp = rg.generate(req, serial, now);
      lastOutcome = resp.getStatus() == PKIStatus.GRANTED
          ? "granted, serial " + serial.toString(16) + ", genTime " + iso(now)
          : "rejected: " + resp.getStatusString();
      return resp.getEncoded();
    }

    /** The token TimeStampTokenGenerator would make, built without its certificate check. */
    byte[] uncheckedToken(TimeStampRequest req, BigInteger serial, Date now) throws Exception {
      TSTInfo tst = new TSTInfo(POLICY,
          new org.bouncycastle.asn1.tsp.MessageImprint(new AlgorithmIdentifier(req.getMessageImprintAlgOID()),
              req.getMessageImprintDigest()),
          new ASN1Integer(serial), new ASN1GeneralizedTime(now), new Accuracy(new ASN1Integer(1), null, null),
          null, req.getNonce() == null ? null : new ASN1Integer(req.getNonce()),
          new GeneralName(cert.getSubject()), null);
      DigestCalculator dc = certIdDigest();
      try (OutputStream o = dc.getOutputStream()) {
        o.write(cert.getEncoded());
      }
      ESSCertIDv2 id = new ESSCertIDv2(dc.getAlgorithmIdentifier(), dc.getDigest(),
          new IssuerSerial(new GeneralNames(new GeneralName(cert.getIssuer())), cert.getSerialNumber()));
      AttributeTable attrs = new AttributeTable(new Attribute(PKCSObjectIdentifiers.id_aa_signingCertificateV2,
          new DERSet(new SigningCertificateV2(new ESSCertIDv2[] {id}))));
      CMSSignedDataGenerator g = new CMSSignedDataGenerator();
      g.addSignerInfoGenerator(signer(attrs));
      if (req.getCertReq()) g.addCertificates(new JcaCertStore(Collections.singletonList(cert)));
      CMSSignedData sd = g.generate(new CMSProcessableByteArray(PKCSObjectIdentifiers.id_ct_TSTInfo,
          tst.getEncoded("DER")), true);
      return new TimeStampResp(new PKIStatusInfo(PKIStatus.granted), sd.toASN1Structure()).getEncoded("DER");
    }
  }

  static void serve(Tsa tsa, Path portFile) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    AtomicLong n = new AtomicLong();
    server.createContext("/", ex -> {
      long i = n.incrementAndGet();
      try {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (!"POST".equals(ex.getRequestMethod())) {
          reply(ex, 405, "text/plain", "POST only\n".getBytes(StandardCharsets.US_ASCII));
          System.err.println("request " + i + ": " + ex.getRequestMethod() + " refused (405)");
          return;
        }
        if (ct == null || !ct.toLowerCase().startsWith("application/timestamp-query")) {
          reply(ex, 415, "text/plain", "Content-Type must be application/timestamp-query\n".getBytes(StandardCharsets.US_ASCII));
          System.err.println("request " + i + ": Content-Type " + ct + " refused (415)");
          return;
        }
        byte[] body = readLimited(ex.getRequestBody(), 64 * 1024);
        if (body == null) {
          reply(ex, 413, "text/plain", "too large\n".getBytes(StandardCharsets.US_ASCII));
          return;
        }
        byte[] out = tsa.answer(body);
        reply(ex, 200, "application/timestamp-reply", out);
        System.err.println("request " + i + ": POST " + ex.getRequestURI() + " " + body.length + " bytes -> "
            + tsa.lastOutcome);
      } catch (Exception e) {
        System.err.println("request " + i + ": error " + e);
        try {
          reply(ex, 500, "text/plain", "internal error\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
        }
      } finally {
        ex.close();
      }
    });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    int port = server.getAddress().getPort();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.write(tmp, (port + "\n").getBytes(StandardCharsets.US_ASCII));
    Files.move(tmp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.err.println("BC TSA listening on http://127.0.0.1:" + port + "/");
  }

  static void reply(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  static byte[] readLimited(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int r; (r = in.read(buf)) > 0;) {
      out.write(buf, 0, r);
      if (out.size() > max) return null;
    }
    return out.toByteArray();
  }
}
