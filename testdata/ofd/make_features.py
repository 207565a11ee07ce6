#!/usr/bin/env python3
"""Writes features.ofd: a small synthetic OFD page that exercises what eseal's ofd and render
modules must handle beyond the real samples: arcs, quadratic and cubic paths, nested page
blocks, vertical text (DeltaY), TextCodes inheriting X/Y, a foreground template, layer types,
a DrawParam chain, and a PNG image through a MultiMedia resource. Deterministic output."""
import struct
import zipfile
import zlib

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def png(w, h, rgb):
    raw = b''.join(b'\x00' + bytes(rgb) * w for _ in range(h))

    def chunk(kind, data):
        c = kind + data
        return struct.pack('>I', len(data)) + c + struct.pack('>I', zlib.crc32(c) & 0xffffffff)

    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))


files = {
    'OFD.xml': DECL + f'<ofd:OFD {NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
    '<ofd:DocID>eseal-features</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
    '</ofd:DocBody></ofd:OFD>',
    'Doc_0/Document.xml': DECL + f'<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>40</ofd:MaxUnitID>'
    '<ofd:PageArea><ofd:PhysicalBox>0 0 200 150</ofd:PhysicalBox></ofd:PageArea>'
    '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>'
    '<ofd:TemplatePage ID="30" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
    '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>',
    'Doc_0/PublicRes.xml': DECL + f'<ofd:Res {NS} BaseLoc="Res"><ofd:ColorSpaces>'
    '<ofd:ColorSpace ID="2" Type="RGB" BitsPerComponent="8"/></ofd:ColorSpaces><ofd:DrawParams>'
    '<ofd:DrawParam ID="3" LineWidth="1.5"><ofd:StrokeColor Value="0 128 0"/></ofd:DrawParam>'
    '<ofd:DrawParam ID="4" Relative="3"><ofd:FillColor Value="255 0 255"/></ofd:DrawParam>'
    '</ofd:DrawParams><ofd:Fonts><ofd:Font ID="5" FontName="宋体" FamilyName="SimSun"/>'
    '<ofd:Font ID="6" FontName="黑体"/></ofd:Fonts></ofd:Res>',
    'Doc_0/DocumentRes.xml': DECL + f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias>'
    '<ofd:MultiMedia ID="7" Type="Image" Format="PNG"><ofd:MediaFile>green.png</ofd:MediaFile>'
    '</ofd:MultiMedia></ofd:MultiMedias></ofd:Res>',
    'Doc_0/Pages/Page_0/Content.xml': DECL + f'<ofd:Page {NS}>'
    '<ofd:Template TemplateID="30" ZOrder="Foreground"/><ofd:Content>'
    # Body layer: a blue disc made of two arcs, centre (40, 40) radius 20.
    '<ofd:Layer ID="10" Type="Body">'
    '<ofd:PathObject ID="11" Boundary="20 20 40 40" Stroke="false" Fill="true">'
    '<ofd:FillColor Value="0 0 255"/>'
    '<ofd:AbbreviatedData>M 0 20 A 20 20 0 1 0 40 20 A 20 20 0 1 0 0 20 C</ofd:AbbreviatedData>'
    '</ofd:PathObject>'
    # A magenta square through the DrawParam chain (fill from 4, stroke and width from 3).
    '<ofd:PathObject ID="12" Boundary="80 20 20 20" Fill="true" DrawParam="4">'
    '<ofd:AbbreviatedData>M 2 2 L 18 2 Q 18 18 18 18 B 18 18 2 18 2 18 Z</ofd:AbbreviatedData>'
    '</ofd:PathObject>'
    # An image: 10 x 10 mm green PNG via CTM.
    '<ofd:ImageObject ID="13" Boundary="120 20 10 10" CTM="10 0 0 10 0 0" ResourceID="7"/>'
    # Nested page blocks with a horizontal label split in two objects, and vertical text.
    '<ofd:PageBlock ID="14"><ofd:PageBlock ID="15">'
    '<ofd:TextObject ID="16" Boundary="20 80 20 6" Font="5" Size="5"><ofd:TextCode X="0" Y="5" '
    'DeltaX="5">印章</ofd:TextCode></ofd:TextObject>'
    '<ofd:TextObject ID="17" Boundary="30 80 30 6" Font="6" Size="5"><ofd:TextCode X="0" Y="5" '
    'DeltaX="g 2 5">管理处</ofd:TextCode></ofd:TextObject>'
    '</ofd:PageBlock></ofd:PageBlock>'
    '<ofd:TextObject ID="18" Boundary="150 60 8 40" Font="5" Size="6"><ofd:FillColor Value="255 0 0"/>'
    '<ofd:TextCode X="1" Y="6" DeltaY="g 3 8">竖排文字</ofd:TextCode>'
    '<ofd:TextCode Y="40">ab</ofd:TextCode></ofd:TextObject>'
    '</ofd:Layer>'
    # Background layer listed after the body: drawn first, under the disc.
    '<ofd:Layer ID="19" Type="Background"><ofd:PathObject ID="20" Boundary="10 30 80 20" Stroke="false" '
    'Fill="true"><ofd:FillColor Value="255 255 0"/><ofd:AbbreviatedData>M 0 0 L 80 0 L 80 20 L 0 20 C'
    '</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer>'
    '</ofd:Content></ofd:Page>',
    'Doc_0/Tpls/Tpl_0/Content.xml': DECL + f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="31">'
    '<ofd:TextObject ID="32" Boundary="20 120 100 8" Font="6" Size="6"><ofd:TextCode X="0" Y="6" '
    'DeltaX="g 4 6">前景模板文字</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>',
}

with zipfile.ZipFile('features.ofd', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text.encode('utf-8'))
    info = zipfile.ZipInfo('Doc_0/Res/green.png', date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, png(8, 8, (0, 200, 0)))
