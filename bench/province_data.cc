#include "province_data.h"

#include <cstdio>

#include "eseal/base/bytes.h"
#include "eseal/crypto/sm3.h"
#include "eseal/platform/registry.h"

namespace eseal::bench::province {

uint64_t Mix(uint64_t x) {
  Rng r(x);
  return r.Next();
}

namespace {

struct City {
  const char* code;
  const char* name;
  const char* short_name;
  int weight;  // rough share of registered enterprises
};
constexpr City kCities[] = {
    {"450100", "南宁市", "南宁", 30}, {"450200", "柳州市", "柳州", 12}, {"450300", "桂林市", "桂林", 11},
    {"450400", "梧州市", "梧州", 5},  {"450500", "北海市", "北海", 6},  {"450600", "防城港市", "防城港", 3},
    {"450700", "钦州市", "钦州", 5},  {"450800", "贵港市", "贵港", 5},  {"450900", "玉林市", "玉林", 7},
    {"451000", "百色市", "百色", 4},  {"451100", "贺州市", "贺州", 3},  {"451200", "河池市", "河池", 3},
    {"451300", "来宾市", "来宾", 3},  {"451400", "崇左市", "崇左", 3},
};
// County names (with repeats across cities, as in the real lists: 城中区, 城北区 ...).
const char* const kCounties[] = {
    "城中区", "城北区", "城南区", "江南区", "新城区", "青秀区", "兴宁区", "良庆区", "武鸣区", "邕宁区",
    "鱼峰区", "柳南区", "柳江区", "秀峰区", "叠彩区", "象山区", "临桂区", "万秀区", "长洲区", "龙圩区",
    "海城区", "银海区", "港口区", "防城区", "钦南区", "钦北区", "港北区", "港南区", "覃塘区", "玉州区",
    "福绵区", "右江区", "田阳区", "八步区", "平桂区", "金城江区", "宜州区", "兴宾区", "江州区", "凭祥市",
    "宾阳县", "横州市", "上林县", "马山县", "隆安县", "融安县", "三江县", "阳朔县", "灵川县", "全州县",
    "兴安县", "荔浦市", "岑溪市", "藤县", "合浦县", "东兴市", "灵山县", "浦北县", "平南县", "桂平市",
    "容县", "陆川县", "博白县", "北流市", "田东县", "平果市", "靖西市", "昭平县", "钟山县", "富川县",
    "南丹县", "天峨县", "东兰县", "象州县", "武宣县", "忻城县", "扶绥县", "宁明县", "龙州县", "大新县",
};

const std::vector<std::string> kBrandChars = {
    "华", "宏", "鑫", "盛", "源", "泰", "达", "恒", "信", "隆", "兴", "瑞", "丰", "德", "安", "嘉", "诚", "和",
    "元", "通", "聚", "创", "新", "宇", "博", "远", "正", "中", "天", "海", "金", "银", "锦", "鸿", "祥", "富",
    "润", "泽", "康", "佳", "明", "辉", "煌", "永", "昌", "顺", "发", "宝", "利", "合", "力", "同", "伟", "业",
    "壮", "美", "桂", "邕", "南", "岭", "绿", "城", "江", "山", "龙", "凤", "广", "汇", "晟", "铭", "峰", "誉"};
const std::vector<std::string> kIndustries = {
    "科技", "贸易", "建筑工程", "食品", "物流", "电子商务", "医药", "农业开发", "文化传媒", "房地产开发",
    "机械制造", "新能源", "餐饮管理", "教育咨询", "环保科技", "信息技术", "糖业", "林业", "汽车销售",
    "旅游开发", "服装", "建材", "矿业", "水产养殖", "投资管理", "物业服务", "装饰工程", "劳务派遣"};
const std::vector<std::string> kBureaus = {
    "公安局", "市场监督管理局", "财政局", "教育局", "卫生健康委员会", "自然资源局", "住房和城乡建设局",
    "交通运输局", "农业农村局", "人力资源和社会保障局", "民政局", "司法局", "生态环境局", "商务局",
    "文化广电和旅游局", "行政审批局", "统计局", "审计局", "应急管理局", "水利局", "林业局", "退役军人事务局",
    "医疗保障局", "大数据发展局", "人民政府办公室", "发展和改革委员会", "工业和信息化局", "科学技术局"};
const std::vector<std::string> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "潘",
    "蒋", "蔡", "余", "叶", "程", "苏", "魏", "吕", "韦", "覃", "蒙", "农", "黎", "莫", "廖", "陆", "卢", "欧阳"};
const std::vector<std::string> kGiven = {
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "兰", "霞", "平", "刚", "桂", "华", "建", "国", "志", "红", "玉", "文", "斌", "海", "燕", "丹", "萍",
    "鹏", "宇", "浩", "然", "子", "涵", "梓", "轩", "俊", "婷", "晓", "东", "春", "福", "荣", "清", "林", "凯"};
const std::vector<std::string> kDocuments = {
    "采购合同", "劳动合同", "房屋租赁合同", "销售合同", "授权委托书", "营业执照副本", "年度财务报表",
    "增值税专用发票", "收入证明", "投标文件", "承诺书", "会议纪要", "工程结算书", "服务协议", "保密协议",
    "对账单", "报价单", "情况说明", "付款申请书", "验收报告"};

std::vector<AreaDef> BuildAreas() {
  std::vector<AreaDef> out;
  out.push_back(AreaDef{"450000", "广西壮族自治区", 1, "", "广西", 0});
  size_t county = 0;
  for (const City& c : kCities) {
    out.push_back(AreaDef{c.code, c.name, 2, "450000", c.short_name, 0});
    for (int k = 0; k < 8; ++k) {
      char code[8];
      std::snprintf(code, sizeof code, "%.4s%02d", c.code, k + 2);
      const char* name = kCounties[county++ % (sizeof kCounties / sizeof kCounties[0])];
      // Enterprises in a county still mostly carry the city's name.
      out.push_back(AreaDef{code, name, 3, c.code, c.short_name, c.weight * (k < 3 ? 3 : 1)});
    }
  }
  return out;
}

}  // namespace

const std::vector<AreaDef>& Areas() {
  static const std::vector<AreaDef> areas = BuildAreas();
  return areas;
}

const std::vector<int>& CountyIndexes() {
  static const std::vector<int> idx = [] {
    std::vector<int> v;
    for (size_t i = 0; i < Areas().size(); ++i) {
      if (Areas()[i].level == 3) v.push_back(static_cast<int>(i));
    }
    return v;
  }();
  return idx;
}

int PickCounty(Rng& r) {
  static const std::vector<int> cumulative = [] {
    std::vector<int> c;
    int sum = 0;
    for (int i : CountyIndexes()) c.push_back(sum += Areas()[i].weight);
    return c;
  }();
  int x = static_cast<int>(r.Below(static_cast<uint64_t>(cumulative.back())));
  for (size_t i = 0; i < cumulative.size(); ++i) {
    if (x < cumulative[i]) return CountyIndexes()[i];
  }
  return CountyIndexes().back();
}

std::string Id(std::string_view prefix, uint64_t index) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "_%012llx%08llx",
                static_cast<unsigned long long>(Mix(index * 131 + prefix.size()) & 0xFFFFFFFFFFFFull),
                static_cast<unsigned long long>(index & 0xFFFFFFFFull));
  return std::string(prefix) + buf;
}

std::string Uscc(std::string_view authority_and_type, std::string_view area_code, uint64_t index) {
  // GB 11714 organisation code: 8 digits (a bijection of the index mod 10^8, so codes are
  // unique and do not look sequential) and its check character.
  uint64_t body = (index * 48271ull + 12345678ull) % 100000000ull;
  char digits[9];
  std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(body));
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (digits[i] - '0') * kWeights[i];
  int c9 = 11 - sum % 11;
  char check9 = c9 == 10 ? 'X' : c9 == 11 ? '0' : static_cast<char>('0' + c9);
  std::string first17 = std::string(authority_and_type) + std::string(area_code) + digits + check9;
  auto c18 = platform::UsccCheckCharacter(first17);
  return first17 + (c18.ok() ? *c18 : '0');
}

std::string EnterpriseName(Rng& r, const AreaDef& area) {
  std::string name = area.short_name;
  name += r.Pick(kBrandChars);
  name += r.Pick(kBrandChars);
  name += r.Pick(kIndustries);
  uint64_t s = r.Below(10);
  name += s < 7 ? "有限公司" : s < 9 ? "有限责任公司" : "股份有限公司";
  return name;
}

std::string DepartmentName(Rng& r, const AreaDef& area) {
  const AreaDef* city = &area;
  for (const AreaDef& a : Areas()) {
    if (a.code == area.parent_code && a.level == 2) city = &a;
  }
  std::string name = city->name;
  if (area.level == 3) name += area.name;
  name += r.Pick(kBureaus);
  return name;
}

std::string PersonName(Rng& r) {
  std::string name = r.Pick(kSurnames);
  name += r.Pick(kGiven);
  if (r.Chance(0.7)) name += r.Pick(kGiven);
  return name;
}

std::string DocumentName(Rng& r) {
  char num[32];
  std::snprintf(num, sizeof num, "（%04d-%05d）", static_cast<int>(r.Between(2016, 2026)),
                static_cast<int>(r.Below(100000)));
  return r.Pick(kDocuments) + num + (r.Chance(0.7) ? ".ofd" : ".pdf");
}

std::string HexDigits(Rng& r, int n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<size_t>(n), '0');
  uint64_t bits = 0;
  for (int i = 0; i < n; ++i) {
    if (i % 16 == 0) bits = r.Next();
    out[static_cast<size_t>(i)] = kHex[bits & 15];
    bits >>= 4;
  }
  return out;
}

std::string Blob(Rng& r, int n) {
  std::string out(static_cast<size_t>(n), '\0');
  uint64_t bits = 0;
  for (int i = 0; i < n; ++i) {
    if (i % 8 == 0) bits = r.Next();
    out[static_cast<size_t>(i)] = static_cast<char>(bits & 0xFF);
    bits >>= 8;
  }
  return out;
}

namespace {
void Field(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += '\n';
}
}  // namespace

std::string AuditEntryHash(int64_t seq, int64_t at, std::string_view actor, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           std::string_view details_json, std::string_view prev_hash) {
  std::string out = "eseal-audit-v1\n";
  Field(out, std::to_string(seq));
  Field(out, std::to_string(at));
  Field(out, actor);
  Field(out, action);
  Field(out, object_type);
  Field(out, object_id);
  Field(out, details_json);
  Field(out, prev_hash);
  return HexEncode(crypto::Sm3Bytes(AsBytes(out)));
}

}  // namespace eseal::bench::province
