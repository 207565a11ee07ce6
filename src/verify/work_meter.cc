// WorkMeter: one verification's work against its Budget (work_meter.h).
#include "work_meter.h"

#include "eseal/crypto/sm2.h"
#include "eseal/crypto/sm3.h"
#include "eseal/ofd/work_count.h"

namespace eseal::verify::internal {

WorkMeter::WorkMeter(const Budget& budget)
    : budget_(budget),
      sm2_start_(crypto::Sm2VerifyCount()),
      xml_start_(ofd::XmlParseCount()),
      hashed_start_(crypto::Sm3ByteCount()) {}

uint64_t WorkMeter::sm2_verifications() const { return crypto::Sm2VerifyCount() - sm2_start_; }
uint64_t WorkMeter::xml_parses() const { return ofd::XmlParseCount() - xml_start_; }
uint64_t WorkMeter::bytes_hashed() const { return crypto::Sm3ByteCount() - hashed_start_; }

bool WorkMeter::Exhausted() {
  if (!exhausted_.empty()) return true;
  if (sm2_verifications() > budget_.max_sm2_verifications) {
    exhausted_ = "sm2_verifications";
  } else if (xml_parses() > budget_.max_xml_parses) {
    exhausted_ = "xml_parses";
  } else if (bytes_hashed() > budget_.max_bytes_hashed) {
    exhausted_ = "bytes_hashed";
  } else if (path_nodes_ > budget_.max_path_nodes) {
    exhausted_ = "path_nodes";
  } else if (checks_ > budget_.max_report_checks) {
    exhausted_ = "report_checks";
  }
  return !exhausted_.empty();
}

std::string WorkMeter::Description() const {
  auto part = [](uint64_t used, uint64_t max, const char* what) {
    return std::to_string(used) + " " + what + " of " + std::to_string(max);
  };
  return part(sm2_verifications(), budget_.max_sm2_verifications, "SM2 verifications") + ", " +
         part(xml_parses(), budget_.max_xml_parses, "XML parses") + ", " +
         part(bytes_hashed(), budget_.max_bytes_hashed, "bytes hashed") + ", " +
         part(path_nodes_, budget_.max_path_nodes, "path search steps") + ", " +
         part(checks_, budget_.max_report_checks, "report checks");
}

Check& WorkMeter::AddBudgetCheck(Report& report) const {
  uint64_t limit = 0, used = 0;
  if (exhausted_ == "sm2_verifications") {
    limit = budget_.max_sm2_verifications;
    used = sm2_verifications();
  } else if (exhausted_ == "xml_parses") {
    limit = budget_.max_xml_parses;
    used = xml_parses();
  } else if (exhausted_ == "bytes_hashed") {
    limit = budget_.max_bytes_hashed;
    used = bytes_hashed();
  } else if (exhausted_ == "path_nodes") {
    limit = budget_.max_path_nodes;
    used = path_nodes_;
  } else if (exhausted_ == "report_checks") {
    limit = budget_.max_report_checks;
    used = checks_;
  }
  const std::string which = exhausted_.empty() ? "none" : exhausted_;
  Check& c = report.Indeterminate(
      "verify.budget",
      "文档过于复杂，超出单次验证的工作量上限，验证已停止；请拆分文档，或请运营方调整验证上限。 / "
      "too complex to verify: the document needs more work than one verification may do (" +
          which + " over " + std::to_string(limit) + "); verification stopped (" + Description() +
          ")");
  c.params = {{"budget", which},
              {"limit", std::to_string(limit)},
              {"used", std::to_string(used)},
              {"sm2_verifications", std::to_string(sm2_verifications())},
              {"xml_parses", std::to_string(xml_parses())},
              {"bytes_hashed", std::to_string(bytes_hashed())},
              {"path_nodes", std::to_string(path_nodes_)},
              {"report_checks", std::to_string(checks_)}};
  return c;
}

}  // namespace eseal::verify::internal
