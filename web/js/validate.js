// Client-side checks that mirror the server's, so a form says what is wrong before it is
// sent. The server checks everything again.

// GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters from a
// 31-symbol set, the last a check character (weights 3^i mod 31). Same rule as
// src/platform/uscc.cc.
const USCC_SET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccProblem(code) {
  const s = (code || '').trim().toUpperCase();
  if (s.length !== 18) return `统一社会信用代码应为 18 位，当前 ${s.length} 位 (a USCC has 18 characters)`;
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const v = USCC_SET.indexOf(s[i]);
    if (v < 0) return `第 ${i + 1} 位字符 “${s[i]}” 不在代码字符集中 (invalid character)`;
    if (i < 17) sum += v * USCC_WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  if (USCC_SET[check] !== s[17]) return '校验码错误 (GB 32100 check character is wrong)';
  return '';
}

// esID: 20 ASCII digits (area, seal type, YYMMDD, six random digits; docs/decisions.md).
export function esidProblem(esid) {
  const s = (esid || '').trim();
  if (!s) return '请填写印章编码 esID (required)';
  if (!/^[0-9A-Za-z]{1,64}$/.test(s)) return '印章编码只含字母和数字 (letters and digits only)';
  return '';
}

export function passwordProblem(pw) {
  if (!pw) return '请填写保护口令 (required)';
  if (pw.length < 8) return '保护口令至少 8 位 (at least 8 characters)';
  return '';
}

// GB/T 2260 area code: six digits.
export function areaCodeProblem(code, requiredField) {
  const s = (code || '').trim();
  if (!s) return requiredField ? '请填写行政区划代码 (required)' : '';
  if (!/^[0-9]{6}$/.test(s)) return '行政区划代码为 6 位数字 (six digits, GB/T 2260)';
  return '';
}
