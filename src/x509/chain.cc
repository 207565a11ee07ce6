// Certificate path building and validation (证书链验证), RFC 5280 §6 in the subset SM2
// seal certificates need, reported check by check.
#include "eseal/x509/chain.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "internal.h"

namespace eseal::x509 {
namespace {

struct Link {
  const Certificate* cert;
  int anchor;  // index into TrustStore::anchors(), or -1
};

bool KeyIdsCompatible(const Certificate& child, const Certificate& issuer) {
  if (child.authority_key_id().empty() || issuer.subject_key_id().empty()) return true;
  return child.authority_key_id() == issuer.subject_key_id();
}

// Lexicographic: reached an anchor, fewer broken links, fewer certificates invalid at the
// time, shorter.
using Score = std::tuple<int, int, int, int>;

class PathSearch {
 public:
  PathSearch(const std::vector<Certificate>& pool, const TrustStore& store, Time at, int max_len,
             int budget, ProofCache* cache)
      : pool_(pool),
        store_(store),
        at_(at),
        max_len_(std::max(1, max_len)),
        budget_(budget),
        cache_(cache) {}

  std::vector<Link> Find(const Certificate& leaf) {
    int leaf_anchor = -1;
    for (size_t i = 0; i < store_.anchors().size(); ++i) {
      if (store_.anchors()[i].certificate == leaf) leaf_anchor = static_cast<int>(i);
    }
    path_.push_back(Link{&leaf, leaf_anchor});
    Dfs();
    return best_;
  }

  // Whether `child` verifies under `issuer`'s key. Each pair is verified once (an SM2
  // verification is the expensive step): the search and the report share the answers.
  bool SignedBy(const Certificate* child, const Certificate* issuer) {
    auto key = std::make_pair(child, issuer);
    auto it = signed_by_.find(key);
    if (it == signed_by_.end()) it = signed_by_.emplace(key, child->IsSignedBy(*issuer, cache_)).first;
    return it->second;
  }

 private:
  struct Candidate {
    Link link;
    bool signature_ok;
    bool valid;
  };

  std::vector<Candidate> Candidates(const Certificate& child) {
    std::vector<Candidate> out;
    auto in_path = [&](const Certificate& c) {
      return std::any_of(path_.begin(), path_.end(), [&](const Link& l) { return *l.cert == c; });
    };
    for (size_t i = 0; i < store_.anchors().size(); ++i) {
      const Certificate& a = store_.anchors()[i].certificate;
      if (a.subject() == child.issuer() && KeyIdsCompatible(child, a) && !in_path(a)) {
        out.push_back(
            Candidate{Link{&a, static_cast<int>(i)}, SignedBy(&child, &a), a.ValidAt(at_)});
      }
    }
    for (const Certificate& c : pool_) {
      if (c.subject() != child.issuer() || !KeyIdsCompatible(child, c) || in_path(c)) continue;
      bool is_anchor = std::any_of(store_.anchors().begin(), store_.anchors().end(),
                                   [&](const TrustAnchor& a) { return a.certificate == c; });
      if (is_anchor) continue;  // already offered as an anchor
      out.push_back(Candidate{Link{&c, -1}, SignedBy(&child, &c), c.ValidAt(at_)});
    }
    std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
      return std::make_tuple(a.link.anchor >= 0, a.signature_ok, a.valid) >
             std::make_tuple(b.link.anchor >= 0, b.signature_ok, b.valid);
    });
    return out;
  }

  Score Evaluate() const {
    int bad_links = 0, invalid = 0;
    for (size_t i = 0; i < path_.size(); ++i) {
      if (!path_[i].cert->ValidAt(at_)) ++invalid;
      if (i + 1 < path_.size() && !bad_link_.empty() && bad_link_[i]) ++bad_links;
    }
    return Score{path_.back().anchor >= 0 ? 1 : 0, -bad_links, -invalid,
                 -static_cast<int>(path_.size())};
  }

  void Consider() {
    Score s = Evaluate();
    if (best_.empty() || s > best_score_) {
      best_ = path_;
      best_score_ = s;
    }
  }

  bool Perfect() const {
    return !best_.empty() && std::get<0>(best_score_) == 1 && std::get<1>(best_score_) == 0 &&
           std::get<2>(best_score_) == 0;
  }

  void Dfs() {
    if (--budget_ < 0) return;
    const Link& cur = path_.back();
    if (cur.anchor >= 0 || static_cast<int>(path_.size()) >= max_len_) {
      Consider();
      return;
    }
    std::vector<Candidate> cands = Candidates(*cur.cert);
    if (cands.empty()) {
      Consider();
      return;
    }
    for (const Candidate& c : cands) {
      path_.push_back(c.link);
      bad_link_.resize(path_.size());
      bad_link_[path_.size() - 2] = !c.signature_ok;
      Dfs();
      path_.pop_back();
      if (Perfect() || budget_ < 0) return;
    }
  }

  const std::vector<Certificate>& pool_;
  const TrustStore& store_;
  Time at_;
  int max_len_;
  int budget_;
  ProofCache* cache_;
  std::vector<Link> path_;
  std::vector<bool> bad_link_;  // bad_link_[i]: path_[i] is not signed by path_[i + 1]
  std::vector<Link> best_;
  Score best_score_{};
  std::map<std::pair<const Certificate*, const Certificate*>, bool> signed_by_;
};

void Describe(Check& c, const Certificate& cert, size_t depth) {
  c.params.emplace_back("depth", std::to_string(depth));
  c.params.emplace_back("subject", cert.subject().ToString());
  c.params.emplace_back("serial", cert.SerialHex());
}

std::string Who(const Certificate& cert) {
  std::string cn = cert.subject().CommonName();
  return "'" + (cn.empty() ? cert.subject().ToString() : cn) + "'";
}

void CheckRevocation(Report& report, const Certificate& cert, const Certificate& issuer,
                     size_t depth, const std::vector<Crl>& crls, Time at, bool time_proven,
                     bool same_second_is_later, bool compromise_voids_claimed_time,
                     ProofCache* cache) {
  const Crl* newest = nullptr;
  bool any_by_name = false;
  for (const Crl& crl : crls) {
    if (crl.issuer() != cert.issuer()) continue;
    any_by_name = true;
    if (!crl.IsSignedBy(issuer, cache)) continue;
    if (!newest || crl.this_update() > newest->this_update()) newest = &crl;
  }
  if (!newest) {
    Check& c = report.Indeterminate(
        "cert.revocation",
        any_by_name ? "no CRL from the issuer of " + Who(cert) + " verifies with the issuer's key"
                    : "no CRL from the issuer of " + Who(cert) + " was given");
    Describe(c, cert, depth);
    c.params.emplace_back("reason", any_by_name ? "crl_signature" : "no_crl");
    return;
  }
  if (issuer.key_usage() && (*issuer.key_usage() & kCrlSign) == 0) {
    Check& c = report.Indeterminate(
        "cert.revocation", "the CRL issuer " + Who(issuer) + " lacks the cRLSign key usage");
    Describe(c, cert, depth);
    c.params.emplace_back("reason", "crl_issuer_key_usage");
    return;
  }
  const RevokedEntry* e = newest->Lookup(cert.serial());
  std::string crl_time = FormatRfc3339(newest->this_update());
  // The key may have been unsafe before the CA was told: the earlier of the two dates.
  Time revoked_at{};
  if (e) {
    revoked_at = e->revocation_date;
    if (e->invalidity_date && *e->invalidity_date < revoked_at) revoked_at = *e->invalidity_date;
  }
  const bool before = revoked_at < at || (revoked_at == at && !same_second_is_later);
  if (e && before) {
    RevocationReason why = e->reason.value_or(RevocationReason::kUnspecified);
    std::string reason(RevocationReasonName(why));
    std::string what = Who(cert) + " was revoked on " + FormatRfc3339(revoked_at) + " (" + reason + ")";
    Check* c;
    if (time_proven) {
      c = &report.Fail("cert.revocation", what + ", at or before the proven time " + FormatRfc3339(at));
    } else if (why == RevocationReason::kKeyCompromise) {
      c = &report.Fail("cert.revocation",
                       what + "; its key was compromised and nothing proves the signature is "
                              "older than that");
    } else {
      c = &report.Indeterminate("cert.revocation",
                                what + "; nothing proves the signature is older than the "
                                       "revocation (no timestamp)");
    }
    Describe(*c, cert, depth);
    c->params.emplace_back("revocation_date", FormatRfc3339(revoked_at));
    c->params.emplace_back("reason", reason);
    c->params.emplace_back("crl_this_update", crl_time);
    c->params.emplace_back("time_proven", time_proven ? "true" : "false");
    return;
  }
  if (e && compromise_voids_claimed_time && e->reason == RevocationReason::kKeyCompromise) {
    Check& c = report.Fail("cert.revocation",
                           Who(cert) + " was revoked for keyCompromise on " + FormatRfc3339(revoked_at) +
                               "; what its key signed can claim any earlier time, so the time " +
                               FormatRfc3339(at) + " it claims proves nothing");
    Describe(c, cert, depth);
    c.params.emplace_back("revocation_date", FormatRfc3339(revoked_at));
    c.params.emplace_back("reason", "keyCompromise");
    c.params.emplace_back("crl_this_update", crl_time);
    return;
  }
  if (e) {
    Check& c = report.Pass("cert.revocation", Who(cert) + " was revoked on " +
                                                  FormatRfc3339(revoked_at) + ", after " +
                                                  FormatRfc3339(at));
    Describe(c, cert, depth);
    c.params.emplace_back("revocation_date", FormatRfc3339(revoked_at));
    c.params.emplace_back("crl_this_update", crl_time);
    return;
  }
  if (newest->this_update() < at && newest->next_update() && *newest->next_update() < at) {
    Check& c = report.Indeterminate("cert.revocation", "the newest CRL for " + Who(cert) +
                                                           " expired (nextUpdate " +
                                                           FormatRfc3339(*newest->next_update()) +
                                                           ") before " + FormatRfc3339(at));
    Describe(c, cert, depth);
    c.params.emplace_back("reason", "crl_stale");
    c.params.emplace_back("crl_this_update", crl_time);
    return;
  }
  Check& c = report.Pass("cert.revocation", Who(cert) + " is not on the CRL of " + crl_time);
  Describe(c, cert, depth);
  c.params.emplace_back("crl_this_update", crl_time);
}

}  // namespace

void TrustStore::Add(Certificate anchor, std::string label) {
  for (const TrustAnchor& a : anchors_) {
    if (a.certificate == anchor) return;
  }
  anchors_.push_back(TrustAnchor{std::move(anchor), std::move(label)});
}

ChainResult ValidateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                          const TrustStore& anchors, const std::vector<Crl>& crls, Time at,
                          const ChainOptions& options) {
  ChainResult result;
  Report& report = result.report;
  PathSearch search(intermediates, anchors, at, options.max_path_certificates,
                    options.max_search_steps, options.proof_cache);
  std::vector<Link> links = search.Find(leaf);
  for (const Link& l : links) result.path.push_back(*l.cert);
  const std::vector<Certificate>& path = result.path;
  const size_t n = path.size();
  const bool anchored = links.back().anchor >= 0;
  if (anchored) result.anchor = anchors.anchors()[static_cast<size_t>(links.back().anchor)];

  {
    std::string chain;
    for (size_t i = 0; i < n; ++i) chain += (i ? " <- " : "") + Who(path[i]);
    Check& c = report.Info("cert.chain.path", "path: " + chain + " at " + FormatRfc3339(at));
    c.params.emplace_back("length", std::to_string(n));
    c.params.emplace_back("time", FormatRfc3339(at));
  }

  // A missing issuer (the path stops at a certificate that is neither an anchor nor
  // self-issued).
  const Certificate& top = path.back();
  if (!anchored && !top.IsSelfIssued()) {
    Check& c = report.Indeterminate("cert.path.build", "the issuer of " + Who(top) + " (" +
                                                           top.issuer().ToString() +
                                                           ") is neither a given intermediate "
                                                           "nor a trust anchor; give the issuing "
                                                           "CA's certificate as an intermediate "
                                                           "(--intermediate on the command line)");
    Describe(c, top, n - 1);
  }

  for (size_t d = 0; d < n; ++d) {
    const Certificate& cert = path[d];

    // Signature of each link.
    if (d + 1 < n) {
      const Certificate& issuer = path[d + 1];
      bool ok = search.SignedBy(links[d].cert, links[d + 1].cert);
      Check& c =
          ok ? report.Pass("cert.signature", Who(cert) + " is signed by " + Who(issuer))
             : report.Fail("cert.signature", "the signature on " + Who(cert) +
                                                 " does not verify with the key of " + Who(issuer));
      Describe(c, cert, d);
    }

    // Validity at the given time.
    {
      std::string period =
          FormatRfc3339(cert.not_before()) + " to " + FormatRfc3339(cert.not_after());
      Check* c;
      if (at < cert.not_before()) {
        c = &report.Fail("cert.validity", Who(cert) + " is not yet valid at " + FormatRfc3339(at) +
                                              " (valid " + period + ")");
        c->params.emplace_back("reason", "not_yet_valid");
      } else if (at > cert.not_after() && !options.time_proven) {
        c = &report.Indeterminate("cert.validity",
                                  Who(cert) + " has expired (valid " + period +
                                      "); nothing proves the signature was made before that");
        c->params.emplace_back("reason", "expired");
      } else if (at > cert.not_after()) {
        c = &report.Fail("cert.validity", Who(cert) + " had expired at " + FormatRfc3339(at) +
                                              " (valid " + period + ")");
        c->params.emplace_back("reason", "expired");
      } else {
        c = &report.Pass("cert.validity", Who(cert) + " is valid at " + FormatRfc3339(at));
      }
      Describe(*c, cert, d);
      c->params.emplace_back("not_before", FormatRfc3339(cert.not_before()));
      c->params.emplace_back("not_after", FormatRfc3339(cert.not_after()));
    }

    for (const std::string& tolerance : cert.tolerances()) {
      Check& c = report.Info("cert.tolerance",
                             Who(cert) + " was accepted under the tolerance " + tolerance);
      Describe(c, cert, d);
      c.params.emplace_back("tolerance", tolerance);
    }

    if (const Extension* ext = cert.UnhandledCriticalExtension()) {
      Check& c = report.Indeterminate("cert.critical_extension",
                             Who(cert) + " has a critical extension eseal does not process (" +
                                 ext->id.ToString() + ")");
      Describe(c, cert, d);
      c.params.emplace_back("oid", ext->id.ToString());
    }

    if (d == 0) {
      if (options.leaf_purpose == LeafPurpose::kAny) {
        Check& c = report.Skip("cert.leaf.key_usage", "no key usage is required of the leaf");
        Describe(c, cert, d);
      } else if (!cert.key_usage()) {
        Check& c = report.Pass("cert.leaf.key_usage",
                               Who(cert) + " has no keyUsage extension (any usage allowed)");
        Describe(c, cert, d);
      } else if (*cert.key_usage() & (kDigitalSignature | kNonRepudiation)) {
        Check& c =
            report.Pass("cert.leaf.key_usage",
                        Who(cert) + " may sign (" + KeyUsageToString(*cert.key_usage()) + ")");
        Describe(c, cert, d);
      } else {
        Check& c = report.Fail("cert.leaf.key_usage",
                               Who(cert) + " has neither digitalSignature nor nonRepudiation (" +
                                   KeyUsageToString(*cert.key_usage()) + ")");
        Describe(c, cert, d);
      }
      continue;
    }

    // Issuing certificates (depth >= 1), anchors included.
    if (cert.is_ca()) {
      Check& c = report.Pass("cert.ca.basic_constraints",
                             Who(cert) + " is a CA (basicConstraints cA TRUE)");
      Describe(c, cert, d);
    } else {
      Check& c = report.Fail(
          "cert.ca.basic_constraints",
          Who(cert) + " issues certificates but is not a CA (" +
              (cert.has_basic_constraints() ? "cA FALSE" : "no basicConstraints") + ")");
      Describe(c, cert, d);
    }
    if (!cert.key_usage() || (*cert.key_usage() & kKeyCertSign)) {
      Check& c = report.Pass("cert.ca.key_usage", cert.key_usage()
                                                      ? Who(cert) + " has keyCertSign"
                                                      : Who(cert) + " has no keyUsage extension");
      Describe(c, cert, d);
    } else if (options.tolerate_ca_without_key_cert_sign) {
      Check& c =
          report.Warn("cert.ca.key_usage.tolerated",
                      Who(cert) + " issues certificates without keyCertSign in its keyUsage (" +
                          KeyUsageToString(*cert.key_usage()) +
                          "); accepted under the tolerance ca_without_key_cert_sign");
      Describe(c, cert, d);
      c.params.emplace_back("tolerance", "ca_without_key_cert_sign");
    } else {
      Check& c =
          report.Fail("cert.ca.key_usage",
                      Who(cert) + " issues certificates without keyCertSign in its keyUsage (" +
                          KeyUsageToString(*cert.key_usage()) + ")");
      Describe(c, cert, d);
    }
    // pathLenConstraint: non-self-issued intermediates between this CA and the leaf.
    int below = 0;
    for (size_t k = 1; k < d; ++k) {
      if (!path[k].IsSelfIssued()) ++below;
    }
    if (cert.path_len()) {
      if (below > *cert.path_len()) {
        Check& c =
            report.Fail("cert.ca.path_length",
                        Who(cert) + " allows " + std::to_string(*cert.path_len()) +
                            " intermediate CA(s) below it, the path has " + std::to_string(below));
        Describe(c, cert, d);
      } else {
        Check& c =
            report.Pass("cert.ca.path_length",
                        Who(cert) + " allows " + std::to_string(*cert.path_len()) +
                            " intermediate CA(s) below it, the path has " + std::to_string(below));
        Describe(c, cert, d);
      }
    }
  }

  // Trust anchor.
  if (anchored) {
    const TrustAnchor& a = *result.anchor;
    Check& c =
        report.Pass("cert.chain.anchor", "the path ends at the trust anchor " + Who(a.certificate) +
                                             (a.label.empty() ? "" : " (" + a.label + ")"));
    c.params.emplace_back("anchor", a.certificate.subject().ToString());
    if (!a.label.empty()) c.params.emplace_back("label", a.label);
    c.params.emplace_back("anchor_fingerprint", HexEncode(a.certificate.Fingerprint()));
  } else if (anchors.empty()) {
    Check& c = report.Indeterminate(
        "cert.chain.anchor",
        "no trust anchor was given, so the path ending at " + Who(top) + " cannot be trusted");
    c.params.emplace_back("reason", "no_anchors");
    c.params.emplace_back("top", top.subject().ToString());
  } else {
    Check& c = report.Indeterminate(
        "cert.chain.anchor", "the path ends at " + Who(top) + ", which matches none of the " +
                                 std::to_string(anchors.anchors().size()) +
                                 " trust anchor(s) given");
    c.params.emplace_back("reason", "no_match");
    c.params.emplace_back("top", top.subject().ToString());
  }

  // Revocation of every certificate the anchor does not vouch for by configuration.
  if (!options.check_revocation) {
    report.Skip("cert.revocation", "revocation checking is off");
  } else {
    for (size_t d = 0; d < n; ++d) {
      const Certificate& cert = path[d];
      if (anchored && d == n - 1) break;
      if (d + 1 < n) {
        CheckRevocation(report, cert, path[d + 1], d, crls, at, options.time_proven,
                        options.same_second_revocation_is_later,
                        options.key_compromise_voids_claimed_time, options.proof_cache);
      } else if (cert.IsSelfIssued()) {
        Check& c = report.Skip("cert.revocation",
                               Who(cert) + " is self-issued; a root is not revoked by a CRL");
        Describe(c, cert, d);
      } else {
        Check& c =
            report.Indeterminate("cert.revocation", "the issuer of " + Who(cert) +
                                                        " is unknown, so no CRL can be checked");
        Describe(c, cert, d);
        c.params.emplace_back("reason", "no_issuer");
      }
    }
  }
  return result;
}

}  // namespace eseal::x509
