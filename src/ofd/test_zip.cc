#include "test_zip.h"

#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <map>

namespace eseal::ofd::testing {
namespace {

void Put16(Bytes* b, uint32_t v) {
  b->push_back(static_cast<uint8_t>(v));
  b->push_back(static_cast<uint8_t>(v >> 8));
}
void Put32(Bytes* b, uint32_t v) {
  Put16(b, v & 0xFFFF);
  Put16(b, v >> 16);
}

struct Encoded {
  Bytes compressed;
  uint32_t crc = 0;
  uint64_t size = 0;
};

Encoded Deflate(const ZipEntrySpec& e) {
  Encoded out;
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  Bytes chunk(1 << 20, 0);
  uint8_t buf[1 << 16];
  uLong crc = crc32(0, nullptr, 0);
  auto pump = [&](const uint8_t* p, size_t n, int flush) {
    zs.next_in = const_cast<uint8_t*>(p);
    zs.avail_in = static_cast<uInt>(n);
    do {
      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      deflate(&zs, flush);
      out.compressed.insert(out.compressed.end(), buf, buf + (sizeof buf - zs.avail_out));
    } while (zs.avail_out == 0);
  };
  if (e.zeros > 0) {
    uint64_t left = e.zeros;
    while (left > 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
      crc = crc32(crc, chunk.data(), static_cast<uInt>(n));
      pump(chunk.data(), n, Z_NO_FLUSH);
      left -= n;
    }
    out.size = e.zeros;
  } else {
    crc = crc32(crc, e.data.data(), static_cast<uInt>(e.data.size()));
    pump(e.data.data(), e.data.size(), Z_NO_FLUSH);
    out.size = e.data.size();
  }
  pump(nullptr, 0, Z_FINISH);
  deflateEnd(&zs);
  out.crc = static_cast<uint32_t>(crc);
  return out;
}

}  // namespace

Bytes BuildZip(const std::vector<ZipEntrySpec>& entries) {
  Bytes out, central;
  for (const ZipEntrySpec& e : entries) {
    Encoded enc;
    if (e.method == 8) {
      enc = Deflate(e);
    } else {
      enc.compressed = e.data;
      enc.size = e.data.size();
      enc.crc = static_cast<uint32_t>(
          crc32(crc32(0, nullptr, 0), e.data.data(), static_cast<uInt>(e.data.size())));
    }
    uint64_t size = e.declared_size.value_or(enc.size);
    uint16_t flags = e.encrypted ? 1 : 0;
    auto offset = static_cast<uint32_t>(out.size());
    Put32(&out, 0x04034b50);
    Put16(&out, 20);
    Put16(&out, flags);
    Put16(&out, e.method);
    Put16(&out, 0);     // time
    Put16(&out, 0x21);  // date 1980-01-01
    Put32(&out, enc.crc);
    Put32(&out, static_cast<uint32_t>(enc.compressed.size()));
    Put32(&out, static_cast<uint32_t>(size));
    Put16(&out, static_cast<uint32_t>(e.name.size()));
    Put16(&out, 0);
    out.insert(out.end(), e.name.begin(), e.name.end());
    out.insert(out.end(), enc.compressed.begin(), enc.compressed.end());

    Put32(&central, 0x02014b50);
    Put16(&central, 20);
    Put16(&central, 20);
    Put16(&central, flags);
    Put16(&central, e.method);
    Put16(&central, 0);
    Put16(&central, 0x21);
    Put32(&central, enc.crc);
    Put32(&central, static_cast<uint32_t>(enc.compressed.size()));
    Put32(&central, static_cast<uint32_t>(size));
    Put16(&central, static_cast<uint32_t>(e.name.size()));
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0);
    Put32(&central, 0);
    Put32(&central, offset);
    central.insert(central.end(), e.name.begin(), e.name.end());
  }
  auto cd_offset = static_cast<uint32_t>(out.size());
  out.insert(out.end(), central.begin(), central.end());
  Put32(&out, 0x06054b50);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put32(&out, static_cast<uint32_t>(central.size()));
  Put32(&out, cd_offset);
  Put16(&out, 0);
  return out;
}

Bytes BuildZipFiles(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<ZipEntrySpec> specs;
  for (const auto& [name, text] : files) {
    ZipEntrySpec s;
    s.name = name;
    s.data = ToBytes(text);
    specs.push_back(std::move(s));
  }
  return BuildZip(specs);
}

Bytes MinimalOfd(const std::vector<std::pair<std::string, std::string>>& extra) {
  std::map<std::string, std::string> files = {
      {"OFD.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD "
       "xmlns:ofd=\"http://www.ofdspec.org/2016\" "
       "Version=\"1.0\" "
       "DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo><ofd:DocID>t</ofd:DocID></ofd:DocInfo>"
       "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"},
      {"Doc_0/Document.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document "
       "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
       "<ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
       "<ofd:MaxUnitID>4</ofd:MaxUnitID></ofd:CommonData><ofd:Pages><ofd:Page ID=\"1\" "
       "BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"},
      {"Doc_0/Pages/Page_0/Content.xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page "
       "xmlns:ofd=\"http://www.ofdspec.org/2016\">"
       "<ofd:Content><ofd:Layer ID=\"2\"><ofd:TextObject ID=\"3\" Boundary=\"10 10 50 10\" "
       "Font=\"1\" "
       "Size=\"5\"><ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"5\">你好</ofd:TextCode></ofd:TextObject>"
       "</ofd:Layer></ofd:Content></ofd:Page>"},
  };
  for (const auto& [name, text] : extra) files[name] = text;
  std::vector<std::pair<std::string, std::string>> list(files.begin(), files.end());
  return BuildZipFiles(list);
}

uint64_t PeakRssBytes() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;
}

}  // namespace eseal::ofd::testing
