// Secret-independence check of our SM2 signing (the ctgrind technique): run under valgrind's
// memcheck with the private scalar and the nonce marked "undefined". Memcheck then reports
// every conditional jump and every memory address computed from them, so a branch or table
// index that depends on a secret fails the run (exit code 3 with --error-exitcode=3).
//   sm2_ct_check sign     key set-up, d·G and a signature: must be clean (with the mulx/adx
//                         product when the host CPU has it)
//   sm2_ct_check sign-portable   the same with the portable product
//   sm2_ct_check control  a deliberate branch on the nonce: must be reported (proves the
//                         check can fail)
// CTest runs both (src/crypto/CMakeLists.txt). The outputs r, s and the public key are
// declassified before use: they are public by design.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "eseal/crypto/random.h"
#include "sm2_native.h"

using namespace eseal;
using namespace eseal::crypto;

namespace {

void Secret(void* p, size_t n) { VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
void Public(void* p, size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }

bool RandomScalar(sm2::Limbs* out) { return sm2::RandomNonce(out).ok(); }

}  // namespace

// valgrind's virtual CPU does not announce BMI2/ADX, so the product mod p would take its
// portable path under memcheck; the real CPU's flags decide whether the mulx/adx path is
// forced on too (valgrind executes those instructions).
bool HostHasMulxAdx() {
  FILE* f = std::fopen("/proc/cpuinfo", "r");
  if (f == nullptr) return false;
  char line[4096];
  bool bmi2 = false, adx = false;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "flags", 5) != 0) continue;
    bmi2 = std::strstr(line, " bmi2") != nullptr;
    adx = std::strstr(line, " adx") != nullptr;
    break;
  }
  std::fclose(f);
  return bmi2 && adx;
}

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "sign";
  // "sign-portable" keeps the portable product even on a CPU with mulx/adx.
  sm2::kHaveMulxAdx = mode == "sign" && HostHasMulxAdx();
  std::printf("sm2_ct_check: product mod p with %s\n",
              sm2::kHaveMulxAdx ? "mulx/adcx/adox" : "portable C++");
  sm2::Limbs d, k;
  if (!RandomScalar(&d) || !RandomScalar(&k)) return 2;
  d.v[3] &= 0x7FFFFFFFFFFFFFFFull;  // keep d <= n - 2 without a (secret) comparison below
  uint8_t d_be[32], e[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  sm2::LimbsToBytes(d, d_be);

  Secret(d_be, sizeof d_be);
  Secret(&d, sizeof d);
  Secret(&k, sizeof k);

  if (mode == "control") {
    // A textbook leak: memcheck must flag this branch.
    if (k.v[0] & 1) std::puts("odd nonce");
    return 0;
  }

  sm2::SigningScalars scalars;
  sm2::MakeSigningScalars(d_be, &scalars);  // (1 + d)^-1 by Fermat inversion
  sm2::AffinePoint pub = sm2::ScalarBaseMult(d);
  uint8_t rs[64];
  bool ok = sm2::SignDigest(scalars, e, k, rs);

  Public(&pub, sizeof pub);
  Public(rs, sizeof rs);
  Public(&ok, sizeof ok);
  if (!ok) return 0;  // r + k = n or s = 0 (never in practice): nothing to verify
  if (!sm2::VerifyDigestVartime(pub, e, rs)) {
    std::fprintf(stderr, "sm2_ct_check: the signature made under memcheck does not verify\n");
    return 1;
  }
  std::puts("sm2_ct_check: no secret-dependent branch or index in d·G, (1+d)^-1 or signing");
  return 0;
}
