#!/usr/bin/env python3
"""Build the dubao page corpus: newspaper pages whose right answers are known by construction.

Article text (the 42 sample articles in source/samples.jsonl and the original articles in
source/originals.txt) is typeset with reportlab into A3 multi-column newspaper pages, one
"layout" (paper habit) per folder.  Each page PDF is then extracted exactly as users do
(pdfminer.six's pdf2txt.py, pdftotext -raw / -layout / default) and the gold answer is
written beside the text.  See README.md for the schema.

    python3 tests/pages/make_corpus.py            # regenerate everything (deterministic)
    python3 tests/pages/make_corpus.py --check    # sanity check the tree that is on disk

Requires: reportlab, pdfminer.six, pikepdf (pip); poppler-utils, fonts-wqy-microhei,
fonts-wqy-zenhei, fonts-arphic-ukai, fonts-arphic-uming (apt).
"""

import argparse
import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "source")

PAGE_W, PAGE_H = 841.89, 1190.55  # A3 portrait, points
FORMS = ("pdfminer", "raw", "layout", "default")
PDF_BUDGET = 5 * 1024 * 1024  # keep the PDFs in the tree only below this total

# --------------------------------------------------------------------------------------
# fonts

WQY_MICRO = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
WQY_ZEN = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
UKAI = "/usr/share/fonts/truetype/arphic/ukai.ttc"
UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"

# registered name -> (file, subfont index, PostScript name reportlab writes as /BaseFont)
FACES = {
    "Ming": (UMING, 0, "UMingCN"),          # 宋体-like body face
    "MingTW": (UMING, 2, "UMingTW"),        # second 宋体 cut, used as fake-bold headline face
    "MingHK": (UMING, 1, "UMingHK"),        # debris-only headline face
    "Kai": (UKAI, 0, "UKaiCN"),             # 楷体: kickers, subtitles, captions
    "KaiTW": (UKAI, 2, "UKaiTW"),           # masthead calligraphy
    "KaiHK": (UKAI, 1, "UKaiHK"),           # debris-only 楷体 (unreadable subtitles/kickers)
    "Hei": (WQY_MICRO, 0, "WenQuanYiMicroHei"),          # 黑体 body / bylines / brief titles
    "HeiMono": (WQY_MICRO, 1, "WenQuanYiMicroHeiMono"),  # furniture
    "Zen": (WQY_ZEN, 0, "WenQuanYiZenHei"),              # headline face
    "ZenMono": (WQY_ZEN, 1, "WenQuanYiZenHeiMono"),      # headline face (second paper)
    "ZenSharp": (WQY_ZEN, 2, "WenQuanYiZenHeiSharp"),    # debris-only headline face
}
# Faces used only for fields recorded as unreadable; their /ToUnicode is removed or broken.
DEBRIS_FACES = {"MingHK", "KaiHK", "ZenSharp"}
_registered = set()


def register_fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for name, (path, idx, _ps) in FACES.items():
        if name not in _registered:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=idx))
            _registered.add(name)


_width_cache = {}


def text_width(text, font, size):
    key = (text, font)
    w = _width_cache.get(key)
    if w is None:
        from reportlab.pdfbase import pdfmetrics
        w = pdfmetrics.stringWidth(text, font, 1000.0)
        _width_cache[key] = w
    return w * size / 1000.0


# --------------------------------------------------------------------------------------
# article pool

def load_samples():
    arts = []
    with open(os.path.join(SOURCE, "samples.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            # no CJK face here has subscript digits: PM₁₀ is set as PM10
            body = d["body"].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
            paras = [p.strip() for p in body.split("\n\n") if p.strip()]
            arts.append({
                "id": "s" + d["id"][:6],
                "src": d["file"][:3],
                "kind": "news",
                "kicker": d["kicker"],
                "title": d["title"],
                "subtitle": d["subtitle"],
                "byline": d["byline"],
                "paras": paras,
            })
    return arts


def load_originals():
    arts = []
    cur = None
    in_body = False
    body_lines = []

    def finish():
        if cur is None:
            return
        text = "\n".join(body_lines).strip()
        paras = [p.strip().replace("\n", "") for p in re.split(r"\n\s*\n", text) if p.strip()]
        cur["paras"] = paras
        arts.append(cur)

    with open(os.path.join(SOURCE, "originals.txt"), encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if line.startswith("@@ "):
                finish()
                _, ident, kind = line.split()
                cur = {"id": ident, "src": "orig", "kind": kind, "kicker": None, "title": None,
                       "subtitle": None, "byline": None, "city": None, "topic": None}
                in_body = False
                body_lines = []
            elif cur is None or (not in_body and line.startswith("#")):
                continue
            elif not in_body:
                if line.strip() == "--":
                    in_body = True
                elif line.strip():
                    k, v = line.split(":", 1)
                    cur[k.strip()] = v.strip() or None
            else:
                body_lines.append(line)
    finish()
    return arts


def load_pool():
    samples = load_samples()
    origs = load_originals()
    pool = {a["id"]: a for a in samples + origs}
    return samples, origs, pool


def split_pool(samples, origs):
    """Disjoint article sets for tune and heldout pages."""
    tune, held = {}, {}
    for kind in ("news", "wire", "brief", "long"):
        ids = [a for a in origs if a["kind"] == kind]
        n_held = 2 if kind == "long" else max(1, len(ids) // 4)
        held[kind] = ids[-n_held:]
        tune[kind] = ids[:-n_held]
    # samples: page 004 goes to heldout, the other four sample pages to tune
    tune["sample"] = [a for a in samples if a["src"] != "004"]
    held["sample"] = [a for a in samples if a["src"] == "004"]
    return tune, held


# --------------------------------------------------------------------------------------
# typesetting

NO_START = set("，。、；：？！”’）》」』〉】…·%,.;:?!)]}～")
NO_END = set("“‘（《「『〈【([{")
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%/:+\-~]*[A-Za-z0-9%]|——|……|.", re.S)


class St:
    """A text style: face, size, fake bold."""

    def __init__(self, font, size, bold=False, color=(0, 0, 0)):
        self.font, self.size, self.bold, self.color = font, size, bold, color

    def __repr__(self):
        return "St(%s,%.1f%s)" % (self.font, self.size, ",b" if self.bold else "")


def tokenize(runs):
    units = []
    for text, st in runs:
        for m in TOKEN_RE.finditer(text):
            u = m.group()
            units.append((u, st))
    return units


def unit_w(u):
    return text_width(u[0], u[1].font, u[1].size)


def break_units(units, measure, first_indent=0.0, squeeze=True):
    """Greedy line breaking with kinsoku rules. Returns [(i, j, avail)] unit ranges."""
    ws = [unit_w(u) for u in units]
    lines = []
    i, n = 0, len(units)
    while i < n:
        avail = measure - (first_indent if not lines else 0.0)
        j, w = i, 0.0
        while j < n and w + ws[j] <= avail + 0.01:
            w += ws[j]
            j += 1
        if j < n:
            if j == i:
                j = i + 1
            elif units[j][0][0] in NO_START:
                if squeeze and w + ws[j] <= avail + 0.5 * units[j][1].size + 0.01:
                    j += 1  # compress punctuation into the line
                    while j < n and units[j][0][0] in NO_START and units[j][0] in "”’）》":
                        j += 1
                else:
                    while j - 1 > i and units[j][0][0] in NO_START:
                        j -= 1
            while j - 1 > i and units[j - 1][0][-1] in NO_END:
                j -= 1
        lines.append((i, j, avail))
        i = j
    return lines


class Line:
    """One typeset line: runs [(text, St)], natural width, char spacing, x offset."""

    def __init__(self, runs, width, tc, xoff, avail):
        self.runs, self.width, self.tc, self.xoff, self.avail = runs, width, tc, xoff, avail

    @property
    def text(self):
        return "".join(t for t, _ in self.runs)


def set_lines(runs, measure, first_indent=0.0, justify=True, last_justify=False, align="left"):
    units = tokenize(runs)
    if not units:
        return []
    out = []
    brk = break_units(units, measure, first_indent)
    for k, (i, j, avail) in enumerate(brk):
        seg = units[i:j]
        merged = []
        for t, st in seg:
            if merged and merged[-1][1] is st:
                merged[-1] = (merged[-1][0] + t, st)
            else:
                merged.append((t, st))
        width = sum(unit_w(u) for u in seg)
        nchars = sum(len(t) for t, _ in seg)
        last = k == len(brk) - 1
        tc = 0.0
        if nchars > 1 and ((justify and not last) or (last and last_justify) or width > avail + 0.01):
            tc = (avail - width) / (nchars - 1)
        xoff = first_indent if k == 0 else 0.0
        if align == "right":
            xoff += max(0.0, avail - width)
        elif align == "center":
            xoff += max(0.0, (avail - width) / 2)
        out.append(Line(merged, width, tc, xoff, avail))
    return out


# --------------------------------------------------------------------------------------
# page model

class Item:
    """A vertical item in a column flow: a line of text, a subhead, a gap."""

    def __init__(self, h, lines=(), st_lead=None, kind="line", space_before=0.0, keep_next=False,
                 field=None, pkey=None, pline=0, plen=1):
        self.h, self.lines, self.kind = h, list(lines), kind
        self.space_before, self.keep_next, self.field = space_before, keep_next, field
        self.pkey, self.pline, self.plen = pkey, pline, plen  # paragraph identity, line index, length


class Page:
    def __init__(self, layout, name, rng):
        self.layout, self.name, self.rng = layout, name, rng
        self.ops = []          # drawing operations, in content-stream order
        self.articles = []     # gold articles in reading order
        self.furniture = []
        self.captions = []
        self.paper = None
        self.date = None
        self.page_no = None
        self.page_name = None
        self.debris = None     # None | "strip" | "pua" | "nul"
        self.used_faces = {}   # face -> set of fields drawn with it
        self.keys = []         # (article id, part) per gold article, for re-layout

    # --- drawing primitives
    def text(self, x, y, line_or_runs, tc=0.0, field="?"):
        if isinstance(line_or_runs, Line):
            runs, tc = line_or_runs.runs, line_or_runs.tc
            x = x + line_or_runs.xoff
        else:
            runs = line_or_runs
        self.ops.append(("text", x, y, runs, tc))
        for _, st in runs:
            self.used_faces.setdefault(st.font, set()).add(field)

    def rect(self, x, y, w, h, fill=None, stroke=(0, 0, 0), lw=0.5):
        self.ops.append(("rect", x, y, w, h, fill, stroke, lw))

    def hline(self, x0, x1, y, lw=0.5, color=(0, 0, 0)):
        self.ops.append(("line", x0, y, x1, y, lw, color))

    def vline(self, x, y0, y1, lw=0.5, color=(0, 0, 0)):
        self.ops.append(("line", x, y0, x, y1, lw, color))

    def photo(self, x, y_top, w, h, seed):
        self.ops.append(("photo", x, y_top - h, w, h, seed))

    # --- gold helpers
    def add_furniture(self, s, caption=False):
        self.furniture.append(s)
        if caption:
            self.captions.append(s)

    def gold(self):
        return {
            "layout": self.layout,
            "paper": self.paper,
            "date": self.date,
            "page": self.page_no,
            "page_name": self.page_name,
            "articles": self.articles,
            "furniture": self.furniture,
            "captions": self.captions,
        }


def render_pdf(page, path):
    from reportlab.pdfgen import canvas as rl_canvas
    c = rl_canvas.Canvas(path, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    c.setTitle("")
    c.setAuthor("")
    c.setCreator("")
    c.setProducer("")
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _, x, y, runs, tc = op
            c.saveState()  # q/Q: keep render mode and line width from leaking
            t = c.beginText()
            t.setTextOrigin(x, y)
            t.setCharSpace(tc)
            bold = any(st.bold for _, st in runs)
            if bold:
                c.setLineWidth(max(0.25, runs[0][1].size * 0.035))
            for text, st in runs:
                t.setFont(st.font, st.size)
                t.setTextRenderMode(2 if st.bold else 0)
                t.setFillColorRGB(*st.color)
                t.setStrokeColorRGB(*st.color)
                t.textOut(text)
            c.drawText(t)
            c.restoreState()
        elif kind == "rect":
            _, x, y, w, h, fill, stroke, lw = op
            c.setLineWidth(lw)
            if fill is not None:
                c.setFillColorRGB(*fill)
            if stroke is not None:
                c.setStrokeColorRGB(*stroke)
            c.rect(x, y, w, h, stroke=1 if stroke is not None else 0, fill=1 if fill is not None else 0)
            c.setFillColorRGB(0, 0, 0)
            c.setStrokeColorRGB(0, 0, 0)
        elif kind == "line":
            _, x0, y0, x1, y1, lw, color = op
            c.setLineWidth(lw)
            c.setStrokeColorRGB(*color)
            c.line(x0, y0, x1, y1)
            c.setStrokeColorRGB(0, 0, 0)
        elif kind == "photo":
            _, x, y, w, h, seed = op
            draw_photo(c, x, y, w, h, seed)
    c.showPage()
    c.save()


def draw_photo(c, x, y, w, h, seed):
    """A photo-like grey picture: sky/ground gradient, a few shapes. No text."""
    r = random.Random(seed)
    steps = 24
    horizon = r.uniform(0.35, 0.65)
    for i in range(steps):
        f = i / steps
        g = 0.35 + 0.45 * f if f > horizon else 0.55 + 0.35 * (f / max(horizon, 0.01))
        g = min(0.92, g)
        c.setFillColorRGB(g * 0.95, g * 0.97, g)
        c.rect(x, y + h * f, w, h / steps + 0.5, stroke=0, fill=1)
    for _ in range(r.randint(3, 7)):
        g = r.uniform(0.15, 0.5)
        c.setFillColorRGB(g, g, g * 1.05 if g < 0.9 else g)
        cx, cy = x + r.uniform(0.1, 0.9) * w, y + r.uniform(0.1, horizon) * h
        rad = r.uniform(0.04, 0.12) * min(w, h)
        c.rect(cx - rad * 0.6, cy - rad * 2.2, rad * 1.2, rad * 2.2, stroke=0, fill=1)
        c.circle(cx, cy + rad * 0.5, rad * 0.55, stroke=0, fill=1)
    for _ in range(r.randint(1, 3)):
        g = r.uniform(0.3, 0.6)
        c.setFillColorRGB(g, g, g)
        bx, bw = x + r.uniform(0, 0.7) * w, r.uniform(0.1, 0.3) * w
        bh = r.uniform(0.2, 0.5) * h
        c.rect(bx, y + horizon * h - 2, min(bw, x + w - bx), min(bh, h * (1 - horizon)), stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.setStrokeColorRGB(0, 0, 0)
    c.setLineWidth(0.5)
    c.rect(x, y, w, h, stroke=1, fill=0)


def cmap_stream(mapping):
    """A ToUnicode CMap text for {code: unicode string}."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<00> <FF>", "endcodespacerange"]
    items = sorted(mapping.items())
    for k in range(0, len(items), 100):
        chunk = items[k:k + 100]
        lines.append("%d beginbfchar" % len(chunk))
        for code, u in chunk:
            lines.append("<%02X> <%s>" % (code, "".join("%04X" % ord(ch) for ch in u)))
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def break_unicode(path, faces, mode):
    """Make the given faces lack a usable Unicode mapping, as real newspaper PDFs do.

    strip: remove /ToUnicode;  pua: map every code to a private-use code point;
    nul: map every code to U+0000."""
    import pikepdf
    ps_names = {FACES[f][2] for f in faces}
    pdf = pikepdf.open(path, allow_overwriting_input=True)
    touched = 0
    for pg in pdf.pages:
        fonts = pg.obj.Resources.get("/Font", {})
        for key in list(fonts.keys()):
            fd = fonts[key]
            base = str(fd.get("/BaseFont", ""))
            if re.sub(r"-\d+$", "", base.split("+")[-1]) not in ps_names:
                continue
            touched += 1
            if mode == "strip":
                if "/ToUnicode" in fd:
                    del fd["/ToUnicode"]
            else:
                first = int(fd.get("/FirstChar", 0))
                last = int(fd.get("/LastChar", 255))
                if mode == "pua":
                    sub = int(re.sub(r"\D", "", str(key)) or 0) % 16
                    mp = {c: chr(0xE000 + sub * 256 + c) for c in range(first, last + 1)}
                else:
                    mp = {c: "\x00" for c in range(first, last + 1)}
                fd["/ToUnicode"] = pdf.make_stream(cmap_stream(mp))
    pdf.save(path, deterministic_id=True)
    pdf.close()
    return touched


# --------------------------------------------------------------------------------------
# extraction

def pdf2txt_cmd():
    exe = shutil.which("pdf2txt.py")
    if exe:
        return [exe]
    return [sys.executable, "-m", "pdfminer.tools.pdf2txt"]


def extract(pdf_path):
    outs = {}
    outs["pdfminer"] = subprocess.run(pdf2txt_cmd() + [pdf_path], check=True, capture_output=True).stdout
    outs["raw"] = subprocess.run(["pdftotext", "-raw", pdf_path, "-"], check=True, capture_output=True).stdout
    outs["layout"] = subprocess.run(["pdftotext", "-layout", pdf_path, "-"], check=True, capture_output=True).stdout
    outs["default"] = subprocess.run(["pdftotext", pdf_path, "-"], check=True, capture_output=True).stdout
    return outs


# --------------------------------------------------------------------------------------
# furniture text (all invented)

PAPERS = ["临河日报", "云州日报", "青岚日报", "东湖日报", "南陵日报", "枫城日报", "北山晚报", "清溪日报", "江岸日报"]
PAPER_PINYIN = {"临河日报": "LINHE RIBAO", "云州日报": "YUNZHOU RIBAO", "青岚日报": "QINGLAN RIBAO",
                "东湖日报": "DONGHU RIBAO", "南陵日报": "NANLING RIBAO", "枫城日报": "FENGCHENG RIBAO",
                "北山晚报": "BEISHAN WANBAO", "清溪日报": "QINGXI RIBAO", "江岸日报": "JIANG'AN RIBAO"}
EDITORS = ["王明轩", "李静怡", "赵子涵", "孙海宁", "周雅琴", "吴志刚", "郑晓宇", "陈思远", "刘佳慧", "杨帆"]
PHOTOGRAPHERS = ["李卫东", "张晓光", "赵一鸣", "王子豪", "陈晓峰", "刘思源", "马骏", "黄晓蕾"]
CAPTIONS = [
    "图为市民在南湖湿地公园观赏越冬候鸟。",
    "图为农机手驾驶收割机在田间作业。",
    "图为游客在古城墙遗址公园参观。",
    "图为工人在新建厂房内调试生产设备。",
    "图为小学生在课后服务课堂上学习剪纸。",
    "图为志愿者为社区老人测量血压。",
    "图为建设中的滨河大桥。",
    "图为运动员在比赛中奋力拼抢。",
    "图为群众在文化广场观看文艺演出。",
    "图为村民在大棚内采摘草莓。",
    "图为东环路高架桥通车后的景象。",
    "图为消防救援人员进行高层灭火演练。",
    "图为求职者在招聘会现场咨询岗位信息。",
    "图为市民在城市书房阅读。",
    "图为跑者从古城墙下经过。",
    "图为社区食堂工作人员为老人打饭。",
    "图为农技人员在麦田查看小麦长势。",
    "图为夜市上人头攒动。",
]
ADS = [
    ("招聘启事", "本公司因生产规模扩大，现招聘数控车床操作工10名、质检员3名、叉车司机2名，待遇从优，缴纳五险一金，提供食宿。联系电话：0396-8826315 地址：高新区纬二路18号"),
    ("遗失声明", "王建国不慎遗失残疾人证一本，证号末四位为2216，特此声明作废。"),
    ("家电维修", "空调 冰箱 洗衣机 热水器 专业维修 上门服务 价格公道 服务热线：0396-5566120"),
    ("旺铺出租", "市中心临街门面房两间，面积约120平方米，水电齐全，适合餐饮、商超。有意者请电话联系：0396-2201789"),
    ("新店开业", "福顺斋糕点铺鼓楼街新店开业，开业期间全场八八折，欢迎新老顾客光临。地址：鼓楼街与文昌路交叉口西50米"),
    ("停水通知", "因管网改造，本周六8时至18时解放路沿线将暂停供水，请用户提前做好储水准备，不便之处敬请谅解。市自来水公司"),
    ("驾校招生", "小车 摩托车 随到随学 包教包会 周末班 晚班 咨询电话：0396-3578123"),
    ("清算公告", "本公司股东会决议解散公司，请债权人自本公告见报之日起45日内向公司清算组申报债权。"),
    ("寻物启事", "本人于本月12日在东环路公交站附近遗失黑色公文包一个，内有证件若干，拾到者请与失主联系，必有酬谢。电话：0396-8007321"),
    ("培训招生", "青少年书法、国画、素描暑期班开始报名，名师授课，小班教学。地址：文化宫二楼 电话：0396-6162233"),
]
WEATHER = [("晴转多云", "12℃～23℃", "东北风3～4级"), ("多云", "8℃～17℃", "北风2～3级"),
           ("小雨转阴", "15℃～21℃", "东风3级"), ("晴", "24℃～35℃", "南风2～3级"),
           ("阴转小雪", "-5℃～2℃", "西北风4～5级"), ("雷阵雨", "22℃～30℃", "东南风3～4级")]
WEEKDAY = "一二三四五六日"
NUM_CN = "零一二三四五六七八九十"


def cn_num(n):
    if n <= 10:
        return NUM_CN[n]
    if n < 20:
        return "十" + (NUM_CN[n - 10] if n > 10 else "")
    return NUM_CN[n // 10] + "十" + (NUM_CN[n % 10] if n % 10 else "")


def date_str(d, style=0):
    if style == 0:
        return "%d年%d月%d日 星期%s" % (d.year, d.month, d.day, WEEKDAY[d.weekday()])
    if style == 1:
        return "%d年%02d月%02d日 星期%s" % (d.year, d.month, d.day, WEEKDAY[d.weekday()])
    return "%d年%d月%d日" % (d.year, d.month, d.day)


def page_str(n, style=0):
    return ["第%02d版" % n, "第%d版" % n, "%02d" % n][style]


# --------------------------------------------------------------------------------------
# blocks: article content laid out relative to a top-left corner

class Block:
    def __init__(self, w):
        self.w, self.h = w, 0.0
        self.ents = []   # (kind, ...)
        self.gold = None
        self.fields = {}  # field -> list of faces used

    def text(self, dx, dy, line, field, tc=0.0):
        self.ents.append(("text", dx, dy, line, field, tc))

    def place(self, page, x, y_top):
        for e in self.ents:
            if e[0] == "text":
                _, dx, dy, line, field, tc = e
                page.text(x + dx, y_top - dy, line, tc=tc, field=field)
            elif e[0] == "hline":
                _, dx0, dx1, dy, lw = e
                page.hline(x + dx0, x + dx1, y_top - dy, lw)
            elif e[0] == "vline":
                _, dx, dy0, dy1, lw = e
                page.vline(x + dx, y_top - dy0, y_top - dy1, lw)
            elif e[0] == "photo":
                _, dx, dy, w, h, seed = e
                page.photo(x + dx, y_top - dy, w, h, seed)
            elif e[0] == "rect":
                _, dx, dy, w, h, fill, lw = e
                page.rect(x + dx, y_top - dy - h, w, h, fill=fill, lw=lw)
        if self.gold is not None:
            page.articles.append(self.gold)
            page.keys.append(self.key)


def baseline(top, size):
    return top + size * 0.9


class Ctx:
    """Everything a layout needs for one page: grid, style, article supply, conventions."""

    def __init__(self, layout, split, seed, supply, usage):
        self.layout, self.split = layout, split
        self.rng = random.Random(seed)
        self.seed = seed
        self.supply, self.usage = supply, usage
        self.on_page = set()

    def grid(self, x0, x1, ncols, size, gutter_chars, exact_gutter=False):
        """ncols columns of a whole number of characters; the gutters take the rest of the
        width, or (exact_gutter) are gutter_chars wide and the margins take the rest."""
        W = x1 - x0
        k = int((W - (ncols - 1) * gutter_chars * size) / ncols / size)
        self.colw = k * size
        self.gutter = (W - ncols * self.colw) / (ncols - 1)
        if exact_gutter:
            self.gutter = gutter_chars * size
            spare = W - ncols * self.colw - (ncols - 1) * self.gutter
            x0, x1 = x0 + spare / 2, x1 - spare / 2
        self.ncols = ncols
        self.col_x = [x0 + i * (self.colw + self.gutter) for i in range(ncols)]
        self.x0, self.x1 = x0, x1

    def span(self, c0, c1):
        x = self.col_x[c0]
        return x, self.col_x[c1 - 1] + self.colw - x

    def pick(self, kinds, n=10, min_chars=0, max_chars=10 ** 9):
        cands = []
        for k in kinds:
            for a in self.supply.get(k, []):
                if a["id"] in self.on_page:
                    continue
                ln = sum(len(p) for p in a["paras"])
                if min_chars <= ln <= max_chars:
                    cands.append(a)
        self.rng.shuffle(cands)
        cands.sort(key=lambda a: self.usage.get(a["id"], 0))
        return cands[:n]

    def use(self, art):
        self.on_page.add(art["id"])
        self.usage[art["id"]] = self.usage.get(art["id"], 0) + 1


# --- bylines

def strip_benbao(b):
    return b[2:] if b.startswith("本报记者") else b


def make_byline(ctx, art, mode):
    """Returns (printed byline text, position) for an article under a byline mode."""
    b = art.get("byline")
    if art["kind"] == "wire":
        d = ctx.date - datetime.timedelta(days=1)
        if mode == "wire_ju":
            return "据新华社电", "lead"
        return "新华社%s%d月%d日电（%s）" % (art["city"], d.month, d.day, b), "lead"
    if art["kind"] == "brief":
        if b:
            return "本报讯（%s）" % b, "lead"
        return "本报讯", "lead"
    if not b:
        return None, None
    if mode == "lead":
        if "整理" in b:
            return b, "start_line"
        return "本报讯（%s）" % strip_benbao(b), "lead"
    if mode == "box_start":
        bb = b if b.startswith("本报") or not b.startswith("记者") else "本报" + b
        return "□ " + bb, "start_line"
    if mode == "plain_start":
        bb = b if b.startswith("本报") or not b.startswith("记者") else "本报" + b
        return bb, "start_line"
    if mode == "end_inline":
        return "（%s）" % strip_benbao(b), "end_inline"
    if mode == "end_line":
        return "（%s）" % strip_benbao(b), "end_line"
    if mode == "wentu_start":
        bb = b if b.startswith("本报") or not b.startswith("记者") else "本报" + b
        return "文/图 " + bb, "start_line"
    if mode == "wentu_end":
        bb = b if b.startswith("本报") or not b.startswith("记者") else "本报" + b
        return "文/图 " + bb, "end_line"
    raise ValueError(mode)


# --- headline groups

def split_title(title, rng=None):
    """Break a headline into two lines at a natural point."""
    if " " in title:
        parts = title.split(" ")
        best = None
        for k in range(1, len(parts)):
            a, b = " ".join(parts[:k]), " ".join(parts[k:])
            score = abs(len(a) - len(b))
            if best is None or score < best[0]:
                best = (score, a, b)
        return [best[1], best[2]]
    n = len(title)
    cands = []
    for p in range(2, n - 1):
        a, b = title[:p], title[p:]
        if b[0] in NO_START or a[-1] in NO_END:
            continue
        if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
            continue
        score = abs(len(a) - len(b))
        if a[-1] in "，、：；":
            score -= 3
        cands.append((score, p))
    cands.sort()
    p = cands[0][1] if cands else n // 2
    return [title[:p], title[p:]]


def fit_size(text, font, w, smax, smin):
    wid = text_width(text, font, 1.0)
    if wid <= 0:
        return smax
    return max(smin, min(smax, w / wid))


def headline_group(blk, hs, pa, w, dy, align="center", two_line=False, debris=None):
    """Kicker / title / subtitle across width w, starting at dy. Returns new dy.

    hs: headline style dict; pa: prepared article (updates pa['gold'])."""
    gold = pa["gold"]
    debris = debris or {}
    def face(field, default):
        return debris.get(field, default)
    if pa["kicker"]:
        kst = St(face("kicker", hs["kicker_font"]), hs["kicker_size"])
        ktxt = pa["kicker"]
        size = fit_size(ktxt, kst.font, w * 0.98, kst.size, kst.size * 0.7)
        lines = [ktxt]
        if text_width(ktxt, kst.font, size) > w * 0.98:
            lines = split_title(ktxt)
            size = min(fit_size(l, kst.font, w * 0.98, kst.size, 6) for l in lines)
        st = St(kst.font, size)
        for l in lines:
            ln = set_lines([(l, st)], w + 1000, justify=False)[0]
            xo = (w - ln.width) / 2 if align == "center" else 0.0
            blk.text(xo, baseline(dy, size), ln, "kicker")
            dy += size * 1.35
        gold["kicker"] = "".join(lines)
        blk.fields.setdefault("kicker", set()).add(st.font)
        dy += size * 0.15
    tfont = face("title", hs["title_font"])
    title = pa["title"]
    lines = [title]
    size = fit_size(title, tfont, w * 0.97, hs["title_max"], hs["title_min"])
    if two_line or text_width(title, tfont, size) > w * 0.97:
        lines = split_title(title)
        size = min(fit_size(l, tfont, w * 0.97, hs["title_max"], 6) for l in lines)
    tst = St(tfont, size, bold=hs.get("title_bold", False))
    for l in lines:
        ln = set_lines([(l, tst)], w + 1000, justify=False)[0]
        track = 0.0
        if hs.get("track") and len(l) <= 8 and ln.width < w * 0.5:
            track = size * 0.25
        tw = ln.width + track * (len(l) - 1)
        xo = (w - tw) / 2 if align == "center" else 0.0
        blk.text(xo, baseline(dy, size), ln, "title", tc=track)
        ln.tc = track
        dy += size * 1.22
    gold["title"] = "".join(lines)
    blk.fields.setdefault("title", set()).add(tst.font)
    if pa["subtitle"]:
        sst = St(face("subtitle", hs["sub_font"]), hs["sub_size"])
        stxt = pa["subtitle"]
        size = fit_size(stxt, sst.font, w * 0.95, sst.size, sst.size * 0.75)
        lines = [stxt]
        if text_width(stxt, sst.font, size) > w * 0.95:
            lines = split_title(stxt)
            size = min(fit_size(l, sst.font, w * 0.95, sst.size, 6) for l in lines)
        st = St(sst.font, size)
        dy += size * 0.2
        for l in lines:
            ln = set_lines([(l, st)], w + 1000, justify=False)[0]
            if align == "center":
                xo = (w - ln.width) / 2
            elif hs.get("sub_right"):
                xo = w - ln.width
            else:
                xo = 0.0
            blk.text(xo, baseline(dy, size), ln, "subtitle")
            dy += size * 1.35
        gold["subtitle"] = "".join(lines)
        blk.fields.setdefault("subtitle", set()).add(st.font)
    return dy


# --- prepared articles and body items

def prepare(ctx, art, conv):
    """Decide the printed fields of an article under a paper's conventions."""
    kicker = art["kicker"] if conv.get("kicker", True) else None
    subtitle = art["subtitle"] if conv.get("subtitle", True) else None
    if subtitle:
        if conv.get("dash") and not subtitle.startswith("——"):
            subtitle = "——" + subtitle
        if conv.get("nodash") and subtitle.startswith("——"):
            subtitle = subtitle[2:]
    bmode = conv.get("byline", "lead")
    if callable(bmode):
        bmode = bmode(ctx, art)
    byline, bpos = make_byline(ctx, art, bmode)
    paras, subheads = [], set()
    for p in art["paras"]:
        if p.startswith("## "):
            subheads.add(len(paras))
            p = p[3:].strip()
        paras.append(p)
    gold = {"kicker": None, "title": art["title"], "subtitle": None, "byline": byline,
            "byline_at_end": bpos in ("end_inline", "end_line"), "paragraphs": list(paras),
            "continued_on": None, "continued_from": None, "unreadable": []}
    return {"art": art, "kicker": kicker, "title": art["title"], "subtitle": subtitle,
            "byline": byline, "bpos": bpos, "paras": paras, "subheads": subheads,
            "cont_on": None, "cont_from": None, "frag_first": False, "gold": gold}


def body_items(pa, colw, bs):
    """Typeset the body of a prepared article into flow items for a column width.

    bs: body style dict: font,size,lead,indent ('pos'|'chars'|'none'),pgap,by_font,sep,..."""
    st = St(bs["font"], bs["size"])
    by_st = St(bs.get("by_font", bs["font"]), bs["size"], bold=bs.get("by_bold", False))
    lead = bs["lead"]
    items = []
    used = {"paragraphs": {st.font}}
    if pa["byline"] and pa["bpos"] == "start_line":
        bst = St(bs.get("byline_line_font", bs["font"]), bs["size"])
        for ln in set_lines([(pa["byline"], bst)], colw, justify=False,
                            align=bs.get("byline_line_align", "left")):
            items.append(Item(lead, [ln], field="byline"))
        used["byline"] = {bst.font}
    n = len(pa["paras"])
    for k, para in enumerate(pa["paras"]):
        if k in pa["subheads"]:
            sst = St(bs.get("subhead_font", "Hei"), bs["size"] * bs.get("subhead_scale", 1.1),
                     bold=bs.get("subhead_bold", False))
            lines = set_lines([(para, sst)], colw, justify=False, align=bs.get("subhead_align", "left"))
            for i, ln in enumerate(lines):
                items.append(Item(lead * 1.15, [ln], kind="subhead",
                                  space_before=(lead * 0.8 if i == 0 and k > 0 else 0.0),
                                  keep_next=True, field="paragraphs"))
            used["paragraphs"].add(sst.font)
            continue
        runs = [(para, st)]
        indent = bs["indent"]
        frag = k == 0 and pa["frag_first"]
        if k == 0 and pa["cont_from"]:
            runs.insert(0, (pa["cont_from"], st))
        if k == 0 and pa["byline"] and pa["bpos"] == "lead":
            sep = bs.get("sep", "")
            runs = [(pa["byline"], by_st)] + ([(sep, st)] if sep else []) + runs
            used.setdefault("byline", set()).add(by_st.font)
        if k == n - 1 and pa["byline"] and pa["bpos"] == "end_inline":
            runs.append((pa["byline"], st))
            used.setdefault("byline", set()).add(st.font)
        if k == n - 1 and pa["cont_on"] and pa.get("cont_inline", True):
            runs.append((pa["cont_on"], st))
        first_indent = 0.0
        if not frag:
            if indent == "pos":
                first_indent = 2 * bs["size"]
            elif indent == "chars":
                runs.insert(0, ("\u3000\u3000", st))
        lines = set_lines(runs, colw, first_indent=first_indent)
        pkey = (pa["art"]["id"], pa.get("part", 0), k)
        for i, ln in enumerate(lines):
            sb = bs.get("pgap", 0.0) if (i == 0 and k > 0) else 0.0
            items.append(Item(lead, [ln], space_before=sb, field="paragraphs", pkey=pkey, pline=i,
                              plen=len(lines)))
    if pa["byline"] and pa["bpos"] == "end_line":
        bst = St(bs.get("byline_line_font", bs["font"]), bs["size"])
        for ln in set_lines([(pa["byline"], bst)], colw, justify=False, align="right"):
            items.append(Item(lead, [ln], field="byline"))
        used["byline"] = {bst.font}
    if pa["cont_on"] and not pa.get("cont_inline", True):
        ln = set_lines([(pa["cont_on"], st)], colw, justify=False, align="right")[0]
        items.append(Item(lead, [ln], field="cont"))
    return items, used


KEEP = set()  # paragraphs (article id, part, index) never to be split across columns


def fill_columns(items, heights, nosplit=()):
    """Sequentially fill items into columns of given heights. Returns [[(item, dy)]] or None.

    A paragraph is split across columns only with at least two lines on each side, and
    never at the foot of a column listed in nosplit."""
    cols = [[]]
    y = 0.0
    i = 0
    while i < len(items):
        it = items[i]
        sb = it.space_before if cols[-1] else 0.0
        need = sb + it.h
        if it.keep_next and i + 1 < len(items):
            need += items[i + 1].h
        if y + need > heights[len(cols) - 1] + 0.01 and cols[-1]:
            if it.pkey is not None and it.pline > 0:
                k = 0
                while k < len(cols[-1]) and cols[-1][-1 - k][0].pkey == it.pkey:
                    k += 1
                ok = (k >= 2 and it.plen - it.pline >= 2 and it.pkey not in KEEP
                      and it.pkey[:2] + (None,) not in KEEP and len(cols) - 1 not in nosplit)
                if not ok and k < len(cols[-1]):
                    del cols[-1][len(cols[-1]) - k:]
                    i -= k
            # a subhead never stays at the foot of a column
            k = 0
            while k < len(cols[-1]) and cols[-1][-1 - k][0].kind == "subhead":
                k += 1
            if k and k < len(cols[-1]):
                del cols[-1][len(cols[-1]) - k:]
                i -= k
            if len(cols) == len(heights):
                return None
            cols.append([])
            y = 0.0
            continue
        if y + sb + it.h > heights[len(cols) - 1] + 0.01:
            return None
        cols[-1].append((it, y + sb))
        y += sb + it.h
        i += 1
    return cols


def balance(items, ncols, lead):
    total = sum(it.h + it.space_before for it in items)
    H = max(max((it.h for it in items), default=lead), total / ncols - lead)
    while True:
        cols = fill_columns(items, [H] * ncols)
        if cols is not None:
            used = max((c[-1][1] + c[-1][0].h) for c in cols if c)
            return cols, used
        H += 1.0


def draw_columns(blk, cols, col_dx, dy0, bs):
    for ci, col in enumerate(cols):
        for it, y in col:
            for ln in it.lines:
                lsize = ln.runs[0][1].size
                blk.text(col_dx[ci], baseline(dy0 + y + (it.h - bs["lead"]) * 0.5, lsize), ln, it.field)


def record_fields(blk, pa, used_body):
    for f, faces in used_body.items():
        blk.fields.setdefault(f, set()).update(faces)


def finalize_gold(blk, pa):
    g = pa["gold"]
    unread = []
    for f in ("kicker", "title", "subtitle", "byline", "paragraphs"):
        if blk.fields.get(f, set()) & DEBRIS_FACES:
            unread.append(f)
    g["unreadable"] = unread
    blk.gold = g
    blk.key = (pa["art"]["id"], pa.get("part", 0))


def article_block(ctx, pa, ncols, hs, bs, rule=True, two_line=False, align="center", debris=None,
                  heights=None):
    """Headline across the block, body balanced (or filled into given heights) below it."""
    colw, g = ctx.colw, ctx.gutter
    w = ncols * colw + (ncols - 1) * g
    blk = Block(w)
    dy = headline_group(blk, hs, pa, w, 0.0, align=align, two_line=two_line, debris=debris)
    dy += bs["lead"] * 0.5
    items, used = body_items(pa, colw, bs)
    if heights is None:
        cols, used_h = balance(items, ncols, bs["lead"])
    else:
        cols = fill_columns(items, heights)
        if cols is None:
            return None
        used_h = max(c[-1][1] + c[-1][0].h for c in cols if c)
    draw_columns(blk, cols, [i * (colw + g) for i in range(ncols)], dy, bs)
    record_fields(blk, pa, used)
    blk.h = dy + used_h + bs["lead"] * 0.3
    finalize_gold(blk, pa)
    return blk


def photo_block(ctx, w, h, caption_font, caption_size, with_caption=True):
    blk = Block(w)
    r = ctx.rng
    cap_lines = []
    cap = None
    if with_caption:
        cap = r.choice(CAPTIONS) + r.choice(["  ", "　"]) + r.choice(["记者 ", "本报记者 ", "通讯员 ", ""]) + \
            r.choice(PHOTOGRAPHERS) + " 摄"
        st = St(caption_font, caption_size)
        cap_lines = set_lines([(cap, st)], w, justify=True)
    cap_h = len(cap_lines) * caption_size * 1.4
    ph = h - cap_h - (4 if cap_lines else 0)
    if ph < 30:
        return None
    blk.ents.append(("photo", 0.0, 0.0, w, ph, r.randint(0, 10 ** 9)))
    dy = ph + 4
    for ln in cap_lines:
        blk.text(0.0, baseline(dy, caption_size), ln, "caption")
        dy += caption_size * 1.4
    blk.h = h
    blk.caption = "".join(l.text for l in cap_lines) if cap_lines else None
    return blk


def place_photo(page, blk, x, y_top):
    blk.place(page, x, y_top)
    if blk.caption:
        page.add_furniture(blk.caption, caption=True)


def ad_block(ctx, w, h, fonts=("Hei", "Ming")):
    """A bordered small ad. Returns block and its furniture strings."""
    r = ctx.rng
    title, body = r.choice(ADS)
    blk = Block(w)
    tsize = min(18.0, max(11.0, w / (len(title) + 2)))
    pad = 6.0
    tst = St(fonts[0], tsize, bold=True)
    tl = set_lines([(title, tst)], w - 2 * pad, justify=False)[0]
    dy = pad
    blk.text((w - tl.width) / 2, baseline(dy, tsize), tl, "ad")
    dy += tsize * 1.5
    bst = St(fonts[1], 9.0)
    lines = set_lines([(body, bst)], w - 2 * pad, justify=True)
    for ln in lines:
        blk.text(pad, baseline(dy, 9.0), ln, "ad")
        dy += 9.0 * 1.45
    dy += pad
    if dy > h:
        return None, []
    blk.ents.insert(0, ("rect", 0.0, 0.0, w, h, None, 1.0))
    blk.h = h
    return blk, [title, "".join(l.text for l in lines)]


# --- stacks: a group of columns filled top to bottom with articles

def fill_stack(ctx, page, c0, c1, y_top, y_bot, make_block, kinds, min_chars=0, max_chars=10 ** 9,
               filler=("photo", "ad"), sep_rule=True, max_articles=9):
    """Place articles in columns [c0,c1) from y_top down to y_bot; fill the rest."""
    x, w = ctx.span(c0, c1)
    ncols = c1 - c0
    y = y_top
    placed = 0
    while placed < max_articles:
        room = y - y_bot
        best = None
        for art in ctx.pick(kinds, n=8, min_chars=min_chars, max_chars=max_chars):
            blk = make_block(art, ncols)
            if blk is None or blk.h > room:
                continue
            if best is None or blk.h > best[0].h:
                best = (blk, art)
            if blk.h > room * 0.6:
                break
        if best is None:
            break
        blk, art = best
        if placed and sep_rule:
            page.hline(x, x + w, y + 4, 0.6)
        blk.place(page, x, y)
        ctx.use(art)
        y -= blk.h + 12
        placed += 1
    room = y - y_bot
    if room > 70 and filler:
        kind = ctx.rng.choice(filler)
        if kind == "ad" and room < 260:
            ab, strs = ad_block(ctx, w, min(room - 4, 150.0))
            if ab is not None:
                ab.place(page, x, y)
                for s in strs:
                    page.add_furniture(s)
                return
        pb = photo_block(ctx, w, min(room - 4, w * 0.9), ctx.cap_font, 9.0)
        if pb is not None:
            place_photo(page, pb, x, y)


def header_strip(ctx, page, y, left=None, center=None, right=None, font="HeiMono", size=10.5, rule=2.0):
    """The page head line (眉头): texts at the left, centre and right, and a rule below."""
    for pos, s in (("left", left), ("center", center), ("right", right)):
        if not s:
            continue
        st = St(font, size)
        ln = set_lines([(s, st)], 10000, justify=False)[0]
        if pos == "left":
            x = ctx.x0
        elif pos == "right":
            x = ctx.x1 - ln.width
        else:
            x = (ctx.x0 + ctx.x1 - ln.width) / 2
        page.text(x, y, ln, field="furniture")
        page.add_furniture(s)
    page.hline(ctx.x0, ctx.x1, y - size * 0.6, rule)
    return y - size * 0.6 - 14


# --------------------------------------------------------------------------------------
# layouts (one paper habit each)

PARTITIONS = {4: [[2, 2], [1, 3], [3, 1], [2, 1, 1]], 5: [[2, 3], [3, 2], [2, 2, 1], [1, 2, 2], [2, 1, 2]],
              6: [[2, 2, 2], [3, 3], [2, 4], [4, 2], [3, 2, 1], [1, 3, 2]]}
PAGE_NAMES = ["要闻", "综合新闻", "本地新闻", "城事", "民生", "经济", "社会", "文化"]


def debris_faces(page, fields=("title",)):
    """Which faces replace the regular ones on a debris page, per field."""
    if not page.debris:
        return None
    d = {}
    for f in fields:
        d[f] = {"title": "ZenSharp", "kicker": "KaiHK", "subtitle": "KaiHK"}[f]
    return d


def print_dates(ctx, page, style=0):
    page.date = ctx.date.isoformat()
    return date_str(ctx.date, style)


def stacks(ctx, page, y_top, y_bot, make_block, kinds, parts=None, c_start=0, **kw):
    parts = parts or ctx.rng.choice(PARTITIONS[ctx.ncols])
    c = c_start
    for n in parts:
        fill_stack(ctx, page, c, c + n, y_top, y_bot, make_block, kinds, **kw)
        c += n


def footer_editor(ctx, page, y=26):
    r = ctx.rng
    s = "责任编辑：%s" % r.choice(EDITORS)
    if r.random() < 0.6:
        s += "　校对：%s" % r.choice(EDITORS)
    st = St("HeiMono", 9)
    ln = set_lines([(s, st)], 10000, justify=False)[0]
    page.text(ctx.x0 if r.random() < 0.5 else ctx.x1 - ln.width, y, ln, field="furniture")
    page.add_furniture(s)


def std_styles(ctx, body_font="Ming", size=10.0, title_font="Zen", title_bold=False, indent="pos"):
    r = ctx.rng
    bs = dict(font=body_font, size=size, lead=round(size * r.uniform(1.32, 1.45), 2), indent=indent,
              by_font=r.choice(["Hei", body_font]), sep=r.choice(["", " ", "\u3000"]),
              pgap=(size * 0.6 if indent == "none" else 0.0), byline_line_font="Kai")
    hs = dict(title_font=title_font, title_bold=title_bold, title_max=28.0, title_min=17.0,
              kicker_font="Kai", kicker_size=13.5, sub_font="Kai", sub_size=14.0, track=r.random() < 0.3)
    return bs, hs


def lay_headline_first(ctx, page, idx):
    """本报讯 bylines, kicker + headline spanning the block + ——subtitle above the body."""
    r = ctx.rng
    size = r.choice([9.5, 10.0, 10.5])
    ncols = 6 if size < 10 else 5
    ctx.grid(38, PAGE_W - 38, ncols, size, r.uniform(2.1, 2.8))
    bs, hs = std_styles(ctx, "Ming", size, "Zen")
    conv = dict(dash=True, byline="lead")
    dfaces = debris_faces(page, ("title",) if idx % 2 else ("title", "subtitle"))
    page.page_no = r.randint(2, 8)
    page.page_name = r.choice(PAGE_NAMES)
    y = header_strip(ctx, page, PAGE_H - 34, left=print_dates(ctx, page, idx % 2),
                     center=page.page_name, right=page_str(page.page_no, idx % 2))
    footer_editor(ctx, page)
    big = dict(hs, title_max=40.0, title_min=24.0, kicker_size=16.0, sub_size=17.0)

    def mk(art, n, h=hs):
        return article_block(ctx, prepare(ctx, art, conv), n, h, bs, debris=dfaces)
    # lead article across the page
    best = None
    for art in ctx.pick(["news", "sample"], n=10, min_chars=600, max_chars=2000):
        b = mk(art, ncols, big)
        if b.h < (y - 40) * 0.45 and (best is None or b.h > best[0].h):
            best = (b, art)
    if best:
        best[0].place(page, ctx.x0, y)
        ctx.use(best[1])
        y -= best[0].h + 10
        page.hline(ctx.x0, ctx.x1, y + 5, 1.2)
    stacks(ctx, page, y, 40, mk, ["news", "sample"])



def inset_block(ctx, pa, ncols, hs, bs, j, debris=None):
    """headline_after geometry: the headline sits over columns j.. at the top; the body starts
    at the top of the first column(s) and runs on under the headline."""
    colw, g = ctx.colw, ctx.gutter
    cw = colw + g
    blk = Block(ncols * cw - g)
    hw = (ncols - j) * cw - g
    hb = Block(hw)
    hh = headline_group(hb, hs, pa, hw, 0.0, align=ctx.rng.choice(["center", "left"]), debris=debris)
    items, used = body_items(pa, colw, bs)
    gap = bs["lead"] * 0.8
    total = sum(it.h + it.space_before for it in items)
    H = max(hh + gap + bs["lead"] * 3, total / ncols)
    while True:
        heights = [H] * j + [H - hh - gap] * (ncols - j)
        cols = fill_columns(items, heights, nosplit=range(j))
        if cols is not None and len(cols) == ncols:
            break
        if cols is not None and H > hh + gap + bs["lead"] * 3 and len(cols) < ncols:
            # too few lines to reach under the headline: headline on top instead
            return None
        H += 1.0
    for ci, col in enumerate(cols):
        top = 0.0 if ci < j else hh + gap
        for it, y in col:
            for ln in it.lines:
                blk.text(ci * cw, baseline(top + y + (it.h - bs["lead"]) * 0.5, ln.runs[0][1].size), ln, it.field)
    # the headline is drawn after the body in the content stream too
    for e in hb.ents:
        blk.ents.append((e[0], e[1] + j * cw) + e[2:])
    blk.fields.update(hb.fields)
    record_fields(blk, pa, used)
    blk.h = H + bs["lead"] * 0.3
    finalize_gold(blk, pa)
    return blk


def lay_headline_after(ctx, page, idx):
    """The sample pages' habit: 本报讯（记者…） bylines, headline box set into the top right of
    the article so that pdfminer emits it after (some of) its body."""
    r = ctx.rng
    size = r.choice([9.5, 10.0])
    ncols = 6
    ctx.grid(34, PAGE_W - 34, ncols, size, r.uniform(2.0, 2.5))
    bs, hs = std_styles(ctx, "Ming", size, "Hei", title_bold=True)
    bs["sep"] = " "
    bs["by_font"] = "Ming"
    hs.update(title_max=26.0, title_min=15.0, sub_font="Kai", track=False)
    conv = dict(nodash=True, byline="lead")
    dfaces = debris_faces(page, ("title",))
    if dfaces:
        dfaces["title"] = "ZenSharp"
    y = PAGE_H - 40
    if idx % 3 == 2:  # a few pages carry a page head; most, like the samples, show none
        page.page_no = r.randint(2, 6)
        y = header_strip(ctx, page, PAGE_H - 34, left=page_str(page.page_no, 1),
                         right=print_dates(ctx, page, 2))

    def mk(art, n):
        pa = prepare(ctx, art, conv)
        if n >= 2:
            j = 1
            b = inset_block(ctx, pa, n, hs, bs, j, debris=dfaces)
            if b is not None:
                return b
            pa = prepare(ctx, art, conv)
        return article_block(ctx, pa, n, hs, bs, debris=dfaces, align="left")
    parts = r.choice([[3, 3], [2, 2, 2], [4, 2], [2, 4], [3, 3]])
    stacks(ctx, page, y, 36, mk, ["sample", "news"], parts=parts, filler=("photo",))


def title_positions(gold, pdfminer_text):
    """For each article with a readable title: 'before' if pdfminer emits the title box before
    all of its body, 'after' if after all of it, 'mid' if in between."""
    boxes = [norm(b) for b in pdfminer_text.split("\n\n")]
    res = []
    for a in gold["articles"]:
        if "title" in a["unreadable"] or not a["paragraphs"]:
            continue
        t = [i for i, b in enumerate(boxes) if norm(a["title"])[:8] in b]
        p = [i for i, b in enumerate(boxes) if any(norm(x)[:10] in b for x in a["paragraphs"])]
        if t and p:
            res.append("before" if t[0] < min(p) else "after" if t[0] > max(p) else "mid")
    return res


def headline_after_ok(gold, pdfminer_text):
    res = title_positions(gold, pdfminer_text)
    return not res or sum(r != "before" for r in res) >= 0.6 * len(res)


def lay_two_line_heads(ctx, page, idx):
    """Headlines broken over two lines; 新华社X月X日电 / 据新华社电 datelines; 黑体 body."""
    r = ctx.rng
    size = r.choice([9.5, 10.0])
    ncols = r.choice([5, 6])
    ctx.grid(36, PAGE_W - 36, ncols, size, r.uniform(2.2, 2.8))
    bs, hs = std_styles(ctx, "Hei", size, "MingTW", title_bold=True, indent="chars")
    bs["by_font"] = "Hei"
    hs.update(title_max=30.0, title_min=18.0, track=False)
    dfaces = debris_faces(page, ("title",))
    if dfaces:
        dfaces["title"] = "MingHK"

    def bymode(ctx_, art):
        return "wire_ju" if (art["kind"] == "wire" and r.random() < 0.35) else "lead"
    conv = dict(dash=r.random() < 0.5, byline=bymode)
    page.page_no = r.randint(3, 12)
    page.page_name = r.choice(["国内新闻", "综合", "国内·国际", "时事"])
    y = header_strip(ctx, page, PAGE_H - 34, left=page_str(page.page_no, 0), center=page.page_name,
                     right=print_dates(ctx, page, 0), font="Hei")
    footer_editor(ctx, page)

    def mk(art, n):
        return article_block(ctx, prepare(ctx, art, conv), n, hs, bs, two_line=len(art["title"]) >= 7,
                             debris=dfaces)
    stacks(ctx, page, y, 40, mk, ["wire", "news", "wire"])


def lay_byline_end(ctx, page, idx):
    """Bylines at the end （记者 …） or 文/图 …, or a □ 本报记者 … line; unindented paragraphs."""
    r = ctx.rng
    size = r.choice([10.0, 10.5])
    ncols = 5
    indent = "none" if idx % 2 == 0 else "pos"
    ctx.grid(38, PAGE_W - 38, ncols, size, r.uniform(2.2, 2.8))
    bs, hs = std_styles(ctx, "Ming", size, "ZenMono", indent=indent)
    bs["byline_line_font"] = r.choice(["Kai", "Hei"])

    def bymode(ctx_, art):
        return r.choice(["end_inline", "end_inline", "end_line", "wentu_end", "box_start", "wentu_start",
                         "plain_start"])
    conv = dict(dash=True, byline=bymode)
    dfaces = debris_faces(page, ("title", "kicker") if idx % 2 else ("title",))
    page.page_no = r.randint(4, 16)
    page.page_name = r.choice(["社会", "民生", "城事", "社区"])
    y = header_strip(ctx, page, PAGE_H - 34, left=page.page_name, right="%s　%s" % (
        page_str(page.page_no, 1), print_dates(ctx, page, 2)))
    # header_strip recorded "第N版　date" as one furniture string (printed as one run)
    footer_editor(ctx, page)

    def mk(art, n):
        return article_block(ctx, prepare(ctx, art, conv), n, hs, bs, debris=dfaces)
    stacks(ctx, page, y, 40, mk, ["news", "sample"])


BULLETS = "■▲●◆"


def brief_column(ctx, page, c0, c1, y_top, y_bot, bs, bullet, header, dfaces=None):
    x, w = ctx.span(c0, c1)
    # column head: a grey bar with the name
    hsz = 16.0
    st = St("Zen", hsz)
    ln = set_lines([(header, st)], 1000, justify=False)[0]
    page.rect(x, y_top - hsz * 1.9, w, hsz * 1.9, fill=(0.85, 0.85, 0.85), stroke=None)
    page.text(x + (w - ln.width) / 2, y_top - hsz * 1.35, ln, field="furniture")
    page.add_furniture(header)
    y = y_top - hsz * 1.9 - 10
    hs = dict(title_font="Hei", title_bold=True, title_max=bs["size"] * 1.2, title_min=bs["size"],
              kicker_font="Kai", kicker_size=12, sub_font="Kai", sub_size=12, track=False)
    conv = dict(byline="lead")
    n = 0
    for art in ctx.pick(["brief"], n=30):
        pa = prepare(ctx, art, conv)
        pa["title"] = bullet + art["title"]
        blk = article_block(ctx, pa, c1 - c0, hs, bs, align="left")
        if blk.h > y - y_bot:
            continue
        blk.place(page, x, y)
        ctx.use(art)
        y -= blk.h + 6
        n += 1
    page.rect(x - 3, y + 2, w + 6, y_top - y - 2, fill=None, lw=0.8)
    return n


def lay_briefs(ctx, page, idx):
    """A 简讯/要闻简报 column of ■▲● items with short bold titles beside ordinary articles."""
    r = ctx.rng
    size = r.choice([9.5, 10.0])
    ncols = r.choice([5, 6])
    ctx.grid(36, PAGE_W - 36, ncols, size, r.uniform(2.2, 2.8))
    bs, hs = std_styles(ctx, "Ming", size, "Zen")
    bs_brief = dict(bs, sep=r.choice(["", " ", "\u3000"]))
    conv = dict(dash=True, byline="lead")
    dfaces = debris_faces(page, ("title",))
    page.page_no = r.randint(2, 8)
    page.page_name = r.choice(PAGE_NAMES)
    y = header_strip(ctx, page, PAGE_H - 34, left=print_dates(ctx, page, 0), center=page.page_name,
                     right=page_str(page.page_no, 0))
    footer_editor(ctx, page)

    def mk(art, n):
        return article_block(ctx, prepare(ctx, art, conv), n, hs, bs, debris=dfaces)
    bullet = BULLETS[idx % len(BULLETS)]
    header = r.choice(["要闻简报", "简讯", "本地快讯", "新闻速览"])
    left = idx % 2 == 0
    bw = 1
    if left:
        brief_column(ctx, page, 0, bw, y, 40, bs_brief, bullet, header)
        stacks(ctx, page, y, 40, mk, ["news", "sample"], parts=PARTITIONS[ncols - 1][idx % 2], c_start=bw)
    else:
        parts = PARTITIONS[ncols - 1][idx % 3]
        c = 0
        for n in parts:
            fill_stack(ctx, page, c, c + n, y, 40, mk, ["news", "sample"])
            c += n
        brief_column(ctx, page, ncols - bw, ncols, y, 40, bs_brief, bullet, header)



def lay_long_article(ctx, page, idx):
    """One long article filling the page; 小标题 subheads inside the body; photos with captions."""
    r = ctx.rng
    cands = ctx.pick(["long"], n=3) + ctx.pick(["sample"], n=2, min_chars=1700)
    art = cands[0] if idx % 3 != 2 or len(cands) < 2 else cands[-1]
    ctx.use(art)
    page.page_no = r.randint(3, 12)
    page.page_name = r.choice(["特别报道", "深度", "专题", "聚焦"])
    dfaces = debris_faces(page, ("title", "subtitle") if idx % 2 else ("title",))
    conv = dict(dash=r.random() < 0.7, byline=r.choice(["box_start", "plain_start"]))
    best = None
    for size in (13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5):
        for ncols in (4, 5):
            ctx.grid(40, PAGE_W - 40, ncols, size, r.uniform(2.2, 2.7))
            bs, hs = std_styles(ctx, "Ming", size, "Zen")
            bs.update(subhead_font="Hei", subhead_scale=1.15, subhead_bold=True,
                      subhead_align=r.choice(["left", "center"]), byline_line_font="Kai")
            hs.update(title_max=48.0, title_min=26.0, kicker_size=18.0, sub_size=18.0, track=False)
            pa = prepare(ctx, art, conv)
            items, used = body_items(pa, ctx.colw, bs)
            need = sum(it.h + it.space_before for it in items)
            for photo_cols in (2, 3):
                for photo_h in (420.0, 360.0, 300.0, 240.0, 180.0):
                    avail = (PAGE_H - 240 - 40) * ncols - photo_h * photo_cols / 1.0
                    fill = need / avail
                    if fill <= 0.93 and (best is None or fill > best[0]):
                        best = (fill, size, ncols, photo_cols, photo_h, bs["lead"], bs, hs)
    fill, size, ncols, photo_cols, photo_h, lead, bs, hs = best
    ctx.grid(40, PAGE_W - 40, ncols, size, 2.4)
    pa = prepare(ctx, art, conv)
    y = header_strip(ctx, page, PAGE_H - 34, left=page.page_name, center=None,
                     right="%s　%s" % (print_dates(ctx, page, 1), page_str(page.page_no, 0)))
    footer_editor(ctx, page)
    blk = Block(ctx.x1 - ctx.x0)
    dy = headline_group(blk, hs, pa, ctx.x1 - ctx.x0, 6.0, align="center", debris=dfaces)
    blk.ents.append(("hline", 0.0, ctx.x1 - ctx.x0, dy + 2, 0.8))
    dy += 14
    items, used = body_items(pa, ctx.colw, bs)
    top = y - dy
    H = top - 40
    pc0 = 0 if idx % 2 == 0 else ncols - photo_cols
    pb = photo_block(ctx, ctx.span(pc0, pc0 + photo_cols)[1], photo_h, ctx.cap_font, 9.5)
    heights = [H - (photo_h + 10 if pc0 <= c < pc0 + photo_cols else 0) for c in range(ncols)]
    tops = [(photo_h + 10 if pc0 <= c < pc0 + photo_cols else 0) for c in range(ncols)]
    cols = None
    while cols is None:
        cols = fill_columns(items, heights)
        if cols is None:
            heights = [h + 1 for h in heights]
    for ci, col in enumerate(cols):
        for it, yy in col:
            for ln in it.lines:
                blk.text(ctx.col_x[ci] - ctx.x0, baseline(dy + tops[ci] + yy + (it.h - bs["lead"]) * 0.5,
                                                          ln.runs[0][1].size), ln, it.field)
    record_fields(blk, pa, used)
    finalize_gold(blk, pa)
    blk.place(page, ctx.x0, y)
    place_photo(page, pb, ctx.col_x[pc0], y - dy)
    # the rest of the last column: a second photo when there is room
    last = len(cols) - 1
    used_h = cols[last][-1][1] + cols[last][-1][0].h + tops[last]
    spare_cols = ncols - len(cols)
    if spare_cols > 0:
        c0 = len(cols)
        pb2 = photo_block(ctx, ctx.span(c0, ncols)[1], min(H - tops[c0], 400.0), ctx.cap_font, 9.5)
        if pb2:
            place_photo(page, pb2, ctx.col_x[c0], y - dy - tops[c0])
    elif H - used_h > 120:
        pb2 = photo_block(ctx, ctx.colw, H - used_h - 12, ctx.cap_font, 9.0)
        if pb2:
            place_photo(page, pb2, ctx.col_x[last], y - dy - used_h - 12)


def cont_marks(ctx, p1, p2):
    """(printed 下转 mark, continued_on, printed 上接 mark, continued_from)"""
    style = ctx.rng.randrange(4)
    if style == 0:
        return "（下转第%d版）" % p2, "第%d版" % p2, "（上接第%d版）" % p1, "第%d版" % p1
    if style == 1:
        return "（下转%s版）" % cn_num(p2), "%s版" % cn_num(p2), "（上接%s版）" % cn_num(p1), "%s版" % cn_num(p1)
    if style == 2:
        return "下转第%s版" % cn_num(p2), "第%s版" % cn_num(p2), "上接第%s版" % cn_num(p1), "第%s版" % cn_num(p1)
    return "（下转A%d）" % p2, "A%d" % p2, "（上接A%d）" % p1, "A%d" % p1


def split_article(ctx, art, conv, ncols, bs, heights_fn, mark_on):
    """Cut an article so that its first part fits the columns heights_fn gives, ending with
    the 下转 mark. Returns (first prepared part, remaining paragraphs, first-is-fragment)."""
    pa = prepare(ctx, art, conv)
    paras = pa["paras"]
    items, _ = body_items(pa, ctx.colw, bs)
    # how many paragraph lines fit
    heights = heights_fn(pa)
    total = sum(h for h in heights)
    acc = 0.0
    fit = 0
    for it in items:
        if acc + it.h + it.space_before > total * 0.97:
            break
        acc += it.h + it.space_before
        fit += 1
    fit = max(4, fit)
    while True:
        fit -= 1
        cut = items[fit]
        if cut.pkey is None:
            continue
        k, li = cut.pkey[2], cut.pline
        if k in pa["subheads"] or k == 0 and li < 2:
            continue
        # text of paragraph k on lines [0, li)
        plines = [x for x in items if x.pkey == cut.pkey]
        shown = "".join(l.lines[0].text for l in plines[:li])
        prefix = ""
        if k == 0 and pa["byline"] and pa["bpos"] == "lead":
            prefix = pa["byline"] + bs.get("sep", "")
        if bs["indent"] == "chars" and li > 0:
            prefix += "\u3000\u3000"
        frag = shown[len(prefix):] if li > 0 else ""
        first = prepare(ctx, art, conv)
        first["paras"] = paras[:k] + ([frag] if frag else [])
        first["subheads"] = {i for i in pa["subheads"] if i < k}
        first["cont_on"] = mark_on
        first["gold"]["paragraphs"] = list(first["paras"])
        rest = ([paras[k][len(frag):]] if frag else [paras[k]]) + paras[k + 1:]
        rest_sub = {i - k for i in pa["subheads"] if i >= k}
        if bs["indent"] == "chars" and frag and not paras[k].startswith(frag):
            continue
        it2, _ = body_items(first, ctx.colw, bs)
        if fill_columns(it2, heights_fn(first)) is not None:
            return first, rest, rest_sub, bool(frag)


def lay_continuations(ctx, k):
    """Pairs of pages of one issue: an article ends （下转第2版）, its rest opens （上接第1版）."""
    r = ctx.rng
    p1 = Page(ctx.layout, "p%02d" % (k + 1), r)
    p2 = Page(ctx.layout, "p%02d" % (k + 2), r)
    p1.debris = {("tune", 2): "strip", ("heldout", 0): "pua"}.get((ctx.split, k))
    p2.debris = p1.debris
    paper = PAPERS[(k // 2 + (5 if ctx.split == "heldout" else 0)) % len(PAPERS)]
    size = r.choice([9.5, 10.0])
    ncols = r.choice([5, 6])
    ctx.grid(36, PAGE_W - 36, ncols, size, r.uniform(2.2, 2.8))
    bs, hs = std_styles(ctx, r.choice(["Ming", "Hei"]), size, "Zen", indent=r.choice(["pos", "chars"]))
    conv = dict(dash=True, byline="lead")
    dfaces = debris_faces(p1, ("title",))
    n2 = r.choice([2, 2, 3])
    mark_on, cont_on, mark_from, cont_from = cont_marks(ctx, 1, n2)
    # page 1: masthead line, lead article cut at the foot of its columns
    p1.paper = p2.paper = paper
    p1.page_no, p2.page_no = 1, n2
    st = St("KaiTW", 40.0, bold=True)
    ln = set_lines([(paper, st)], 1000, justify=False)[0]
    p1.text(ctx.x0, PAGE_H - 70, ln, field="furniture")
    p1.add_furniture(paper)
    ds = print_dates(ctx, p1, 0)
    p2.date = p1.date
    for i, s_ in enumerate([ds, "第%02d版" % 1, "今日%d版" % r.choice([8, 12, 16])]):
        st2 = St("HeiMono", 10.5)
        l2 = set_lines([(s_, st2)], 1000, justify=False)[0]
        p1.text(ctx.x1 - l2.width, PAGE_H - 48 - i * 15, l2, field="furniture")
        p1.add_furniture(s_)
    p1.hline(ctx.x0, ctx.x1, PAGE_H - 92, 2.5)
    y = PAGE_H - 104
    lead_cols = ncols if r.random() < 0.5 else ncols - 1
    big = dict(hs, title_max=38.0, title_min=22.0, kicker_size=16.0, sub_size=16.0)
    arts = ctx.pick(["long", "news", "sample"], n=6, min_chars=600)
    art = max(arts, key=lambda a: sum(len(p) for p in a["paras"]))
    ctx.use(art)
    H1 = r.uniform(0.30, 0.42) * (y - 40)

    def heights_fn(pa):
        tmp = Block(0)
        hh = headline_group(tmp, big, pa, ctx.span(0, lead_cols)[1], 0.0, debris=dfaces)
        return [H1 - hh - bs["lead"] * 0.5] * lead_cols
    first, rest, rest_sub, frag = split_article(ctx, art, conv, lead_cols, bs, heights_fn, mark_on)
    first["gold"]["continued_on"] = cont_on
    blk = article_block(ctx, first, lead_cols, big, bs, debris=dfaces, heights=heights_fn(first))
    blk.place(p1, ctx.x0, y)
    if lead_cols < ncols:
        pb = photo_block(ctx, ctx.colw, blk.h, ctx.cap_font, 9.0)
        if pb:
            place_photo(p1, pb, ctx.col_x[ncols - 1], y)
    y1 = y - blk.h - 10
    p1.hline(ctx.x0, ctx.x1, y1 + 5, 1.2)

    def mk(art_, n):
        return article_block(ctx, prepare(ctx, art_, conv), n, hs, bs, debris=dfaces)
    stacks(ctx, p1, y1, 40, mk, ["news", "sample"])
    # page 2: page head, the rest of the lead article first, then other articles
    p2.page_name = r.choice(["要闻", "综合新闻", "本地新闻"])
    y = header_strip(ctx, p2, PAGE_H - 34, left=page_str(n2, 0), center=p2.page_name,
                     right="%s　%s" % (paper, ds))
    footer_editor(ctx, p2)
    second = prepare(ctx, art, conv)
    second.update(kicker=None, subtitle=None, byline=None, bpos=None, paras=rest, subheads=rest_sub,
                  cont_from=mark_from, frag_first=frag, part=1)
    second["gold"].update(kicker=None, subtitle=None, byline=None, byline_at_end=False, paragraphs=list(rest),
                          continued_from=cont_from)
    jump = dict(hs, title_max=24.0, title_min=16.0)
    cw = r.choice([2, 3]) if ncols == 5 else r.choice([2, 3, 4])
    blk2 = article_block(ctx, second, cw, jump, bs, debris=dfaces, align="left")
    blk2.place(p2, ctx.x0, y)
    fill_stack(ctx, p2, 0, cw, y - blk2.h - 12, 40, mk, ["news", "sample"])
    stacks(ctx, p2, y, 40, mk, ["news", "sample"], parts=[ncols - cw] if r.random() < 0.4 else
           ([1, ncols - cw - 1] if ncols - cw > 2 else [ncols - cw]), c_start=cw)
    return [p1, p2]


def lay_furniture(ctx, page, idx):
    """Mastheads, 版次/版名/date lines, 责任编辑, weather box, 导读, ads, photo captions."""
    r = ctx.rng
    size = r.choice([9.5, 10.0, 10.5])
    ncols = 5 if size > 9.5 else 6
    ctx.grid(36, PAGE_W - 36, ncols, size, r.uniform(2.2, 2.8))
    bs, hs = std_styles(ctx, "Ming", size, r.choice(["Zen", "ZenMono"]))
    conv = dict(dash=True, byline="lead")
    dfaces = debris_faces(page, ("title",))
    paper = PAPERS[(idx + (3 if ctx.split == "heldout" else 0)) % len(PAPERS)]
    page.paper = paper
    front = idx % 2 == 0
    if front:
        page.page_no = 1
        page.page_name = "要闻"
        st = St("KaiTW", r.choice([56.0, 64.0]), bold=True)
        ln = set_lines([(paper, st)], 1000, justify=False)[0]
        page.text(ctx.x0, PAGE_H - 96, ln, field="furniture")
        page.add_furniture(paper)
        py = set_lines([(PAPER_PINYIN[paper], St("HeiMono", 11.0))], 1000, justify=False)[0]
        page.text(ctx.x0 + 4, PAGE_H - 116, py, field="furniture")
        page.add_furniture(PAPER_PINYIN[paper])
        info = [print_dates(ctx, page, r.choice([0, 1])), "第%d期" % r.randint(8000, 16000) + "　今日%d版" % r.choice([8, 12, 16]),
                "国内统一连续出版物号 CN41-%04d" % r.randint(10, 99), "邮发代号 %d-%d" % (r.randint(30, 40), r.randint(1, 60)),
                "第01版　要闻"]
        ix = ctx.x0 + ln.width + 40
        for i, s_ in enumerate(info):
            l2 = set_lines([(s_, St("Hei", 10.0))], 1000, justify=False)[0]
            page.text(ix, PAGE_H - 52 - i * 15, l2, field="furniture")
            page.add_furniture(s_)
        # weather box at the right
        wx = ctx.x1 - 150
        w = r.choice(WEATHER)
        page.rect(wx, PAGE_H - 126, 150, 90, fill=(0.93, 0.93, 0.93), stroke=(0, 0, 0), lw=0.6)
        for i, s_ in enumerate(("今日天气",) + w):
            st3 = St("Hei" if i == 0 else "Kai", 13.0 if i == 0 else 11.0, bold=i == 0)
            l3 = set_lines([(s_, st3)], 1000, justify=False)[0]
            page.text(wx + 10, PAGE_H - 56 - i * 19, l3, field="furniture")
            page.add_furniture(s_)
        page.hline(ctx.x0, ctx.x1, PAGE_H - 134, 3.0)
        page.hline(ctx.x0, ctx.x1, PAGE_H - 138, 0.6)
        y = PAGE_H - 150
    else:
        page.page_no = r.randint(2, 8)
        page.page_name = r.choice(PAGE_NAMES)
        y = header_strip(ctx, page, PAGE_H - 34, left="%s　%s" % (paper, page_str(page.page_no, 0)),
                         center=page.page_name, right=print_dates(ctx, page, 0), font="Hei")
    # 责任编辑 line at the foot, sometimes with the paper's address line
    footer_editor(ctx, page)
    if r.random() < 0.5:
        s_ = "本报地址：文昌路%d号　邮编：%d　广告热线：0396-%d" % (r.randint(10, 300), r.randint(100000, 999999), r.randint(2000000, 8999999))
        l4 = set_lines([(s_, St("HeiMono", 8.5))], 1000, justify=False)[0]
        page.text(ctx.x1 - l4.width, 14, l4, field="furniture")
        page.add_furniture(s_)

    def mk(art, n, h=hs):
        return article_block(ctx, prepare(ctx, art, conv), n, h, bs, debris=dfaces)
    big = dict(hs, title_max=38.0, title_min=22.0, kicker_size=16.0, sub_size=16.0)
    # lead article with a photo beside it
    lead_cols = ncols - 2
    best = None
    for art in ctx.pick(["news", "sample"], n=10, min_chars=500, max_chars=1500):
        b = mk(art, lead_cols, big)
        if b.h < (y - 40) * 0.4 and (best is None or b.h > best[0].h):
            best = (b, art)
    if best:
        best[0].place(page, ctx.x0, y)
        ctx.use(best[1])
        x2, w2 = ctx.span(lead_cols, ncols)
        if front:
            # 导读 box: titles of articles on other pages
            others = ctx.pick(["news"], n=3)
            lines = ["今日导读"] + ["%s　第%d版" % (a["title"], r.randint(2, 8)) for a in others]
            hbox = 20 + 16 * len(lines)
            page.rect(x2, y - hbox, w2, hbox, fill=None, stroke=(0, 0, 0), lw=0.8)
            for i, s_ in enumerate(lines):
                st4 = St("Hei", 12.0 if i == 0 else 9.5, bold=i == 0)
                l5 = set_lines([(s_, st4)], 10000, justify=False)[0]
                if l5.width > w2 - 12:
                    st4 = St("Hei", 9.5 * (w2 - 12) / l5.width)
                    l5 = set_lines([(s_, st4)], 10000, justify=False)[0]
                page.text(x2 + 6, y - 16 - i * 16, l5, field="furniture")
                page.add_furniture(s_)
            ph = max(60.0, best[0].h - hbox - 8)
            pb = photo_block(ctx, w2, ph, ctx.cap_font, 9.0)
            if pb:
                place_photo(page, pb, x2, y - hbox - 8)
        else:
            pb = photo_block(ctx, w2, best[0].h, ctx.cap_font, 9.0)
            if pb:
                place_photo(page, pb, x2, y)
        y -= best[0].h + 10
        page.hline(ctx.x0, ctx.x1, y + 5, 1.2)
    # ads along the foot
    ad_h = r.choice([0.0, 110.0, 140.0])
    if ad_h:
        n_ads = r.choice([2, 3]) if ncols >= 5 else 2
        per = ncols // n_ads
        c = 0
        for i in range(n_ads):
            c1 = ncols if i == n_ads - 1 else c + per
            x3, w3 = ctx.span(c, c1)
            ab, strs = ad_block(ctx, w3, ad_h)
            if ab:
                ab.place(page, x3, 40 + ad_h)
                for s_ in strs:
                    page.add_furniture(s_)
            c = c1
    stacks(ctx, page, y, 40 + ad_h + (10 if ad_h else 0), mk, ["news", "sample"], filler=("photo", "ad"))


def beside_block(ctx, pa, ncols, hs, bs, steps, debris=None):
    """unequal_columns: the headline stands in the first column beside the body; the body runs
    down the other columns to stepped depths, so column feet differ."""
    colw, g = ctx.colw, ctx.gutter
    cw = colw + g
    blk = Block(ncols * cw - g)
    hb = Block(colw)
    hh = headline_group(hb, dict(hs, title_max=min(hs["title_max"], colw / 4.2), title_min=12.0), pa, colw,
                        0.0, align="left", debris=debris)
    for e in hb.ents:
        blk.ents.append(e)
    blk.fields.update(hb.fields)
    items, used = body_items(pa, colw, bs)
    n = ncols - 1
    total = sum(it.h + it.space_before for it in items)
    H = max(hh, total / n)
    while True:
        heights = [H - s * bs["lead"] for s in steps[:n]]
        cols = fill_columns(items, heights)
        if cols is not None:
            break
        H += 1.0
    for ci, col in enumerate(cols):
        for it, y in col:
            for ln in it.lines:
                blk.text((ci + 1) * cw, baseline(y + (it.h - bs["lead"]) * 0.5, ln.runs[0][1].size), ln, it.field)
    record_fields(blk, pa, used)
    feet = [col[-1][1] + col[-1][0].h for col in cols if col]
    blk.h = max([hh] + feet) + bs["lead"] * 0.3
    finalize_gold(blk, pa)
    return blk


def lay_unequal_columns(ctx, page, idx):
    """Columns of unequal length, ~1-character gutters, headlines beside the body."""
    r = ctx.rng
    size = r.choice([9.5, 10.0])
    ncols = r.choice([5, 6])
    ctx.grid(34, PAGE_W - 34, ncols, size, r.uniform(0.9, 1.2), exact_gutter=True)
    bs, hs = std_styles(ctx, "Ming", size, "Zen", title_bold=False, indent=r.choice(["pos", "chars"]))
    hs.update(title_max=24.0, title_min=14.0, track=False)
    conv = dict(dash=False, nodash=True, byline="lead", kicker=True)
    dfaces = debris_faces(page, ("title",))
    page.page_no = r.randint(2, 9)
    y = header_strip(ctx, page, PAGE_H - 34, left=page_str(page.page_no, 2), right=print_dates(ctx, page, 2),
                     font="Ming", size=10.0, rule=0.8)

    def mk(art, n):
        pa = prepare(ctx, art, conv)
        if n >= 3 and r.random() < 0.7:
            steps = [0] + sorted(r.sample(range(1, 9), n - 2), reverse=False)
            r.shuffle(steps)
            return beside_block(ctx, pa, n, hs, bs, steps, debris=dfaces)
        blk = article_block(ctx, pa, n, hs, bs, debris=dfaces, align="left")
        return blk
    parts = r.choice([[3, 3], [4, 2], [3, 2, 1], [2, 4]]) if ncols == 6 else r.choice([[3, 2], [2, 3], [4, 1]])
    c = 0
    for i, n in enumerate(parts):
        # stacks start half a line apart, so that baselines of neighbouring stacks do not align
        fill_stack(ctx, page, c, c + n, y - i * bs["lead"] * 0.5, 40, mk, ["news", "sample"], sep_rule=False)
        c += n


# --------------------------------------------------------------------------------------
# driver

LAYOUTS = {}  # name -> (function, tune pages, heldout pages); filled at the end of the file
STATS = {"attempts": 0, "keeps": 0, "reseeds": 0}


def debris_mode(ctx, k):
    """tune: page 2, and page 4 of some layouts, carry debris; heldout: page 1."""
    li = list(LAYOUTS).index(ctx.layout)
    if ctx.split == "tune":
        return {1: ["strip", "pua"][li % 2], 3: ["nul", None, "strip"][li % 3]}.get(k)
    return {0: ["pua", "strip", "nul"][li % 3]}.get(k)


def single(fn):
    """Wrap a one-page layout function."""
    def run(ctx, k):
        page = Page(ctx.layout, "p%02d" % (k + 1), ctx.rng)
        page.debris = debris_mode(ctx, k)
        fn(ctx, page, k)
        return [page]
    run.__doc__ = fn.__doc__
    return run


def new_ctx(layout, split, supply, seed, usage):
    ctx = Ctx(layout, split, seed, supply, usage)
    y = ctx.rng.randint(2016, 2023)
    ctx.date = datetime.date(y, 1, 1) + datetime.timedelta(days=ctx.rng.randint(0, 364))
    ctx.cap_font = ctx.rng.choice(["Kai", "Hei"])
    return ctx


def render_and_extract(page, pdf_dir):
    pdf_path = os.path.join(pdf_dir, page.name + ".pdf")
    render_pdf(page, pdf_path)
    if page.debris:
        faces = {f for f in page.used_faces if f in DEBRIS_FACES}
        touched = break_unicode(pdf_path, faces, page.debris)
        assert touched, "debris page without debris fonts"
    return pdf_path, extract(pdf_path)


def make_pages(layout, split, supply, seed, n, pdf_dir):
    """Yield (page, pdf path, extractions) for n pages that pass the pdfminer check.

    A page whose pdfminer text splits a gold paragraph is laid out again with that
    paragraph kept in one column; a page that still fails is drawn again from a new seed."""
    fn = LAYOUTS[layout][0]
    usage = {}
    master = random.Random(seed)
    done = 0
    k = 0
    while done < n:
        base_seed = master.randint(0, 10 ** 9)
        keep = set()
        accepted = None
        for attempt in range(25):
            STATS["attempts"] += 1
            KEEP.clear()
            KEEP.update(keep)
            trial_usage = dict(usage)
            ctx = new_ctx(layout, split, supply, base_seed + 7919 * (attempt // 5), trial_usage)
            pages = fn(ctx, done)
            results = [(p,) + render_and_extract(p, pdf_dir) for p in pages]
            bad = []
            accept = LAYOUTS[layout][3] if len(LAYOUTS[layout]) > 3 else None
            for p, _path, outs in results:
                txt = outs["pdfminer"].decode("utf-8", "replace")
                bad += page_problems(p.gold(), txt, p.keys)
                # pdfminer breaks ties between equal box distances by id(): the same page
                # can come out in another box order in another process. Keep stable pages.
                again = subprocess.run(pdf2txt_cmd() + [_path], check=True, capture_output=True).stdout
                if again != outs["pdfminer"]:
                    STATS["unstable"] = STATS.get("unstable", 0) + 1
                    bad.append(("pdfminer output differs between runs", None))
                if not bad and accept and not accept(p.gold(), txt):
                    bad.append(("layout habit not shown", None))
            if not bad:
                accepted = results
                usage.clear()
                usage.update(trial_usage)
                break
            new = {key for _, key in bad if key is not None} - keep
            if attempt % 5 >= 1:  # second round on: keep whole articles in one piece per column
                new |= {key[:2] + (None,) for key in new}
                new -= keep
            if new and attempt % 5 != 4:
                keep |= new
                STATS["keeps"] += 1
            else:
                keep = set()
                STATS["reseeds"] += 1
        if accepted is None:
            raise SystemExit("%s/%s: could not make a page that passes the check" % (split, layout))
        for r in accepted:
            yield r
        done += len(accepted)
        k += 1


def write_page(page, outs, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for form in FORMS:
        os.makedirs(os.path.join(out_dir, form), exist_ok=True)
        with open(os.path.join(out_dir, form, page.name + ".txt"), "wb") as f:
            f.write(outs[form])
    with open(os.path.join(out_dir, page.name + ".gold.json"), "w", encoding="utf-8") as f:
        json.dump(page.gold(), f, ensure_ascii=False, indent=2)
        f.write("\n")


def generate(root, only=None, pdf_mode="auto"):
    register_fonts()
    samples, origs, pool = load_pool()
    check_glyphs(pool)
    tune, held = split_pool(samples, origs)
    supplies = {"tune": tune, "heldout": held}
    seeds = {"tune": 1000, "heldout": 9000}
    tmp = tempfile.mkdtemp(prefix="dubao_pages_")
    pdfs = []
    for split in ("tune", "heldout"):
        for li, (layout, spec) in enumerate(LAYOUTS.items()):
            nt, nh = spec[1], spec[2]
            if only and layout not in only:
                continue
            n = nt if split == "tune" else nh
            out_dir = os.path.join(root, split, layout)
            if os.path.isdir(out_dir):
                shutil.rmtree(out_dir)
            pdf_dir = os.path.join(tmp, split, layout)
            os.makedirs(pdf_dir, exist_ok=True)
            for page, pdf_path, outs in make_pages(layout, split, supplies[split], seeds[split] + 100 * li, n, pdf_dir):
                write_page(page, outs, out_dir)
                pdfs.append((pdf_path, os.path.join(out_dir, page.name + ".pdf")))
            print("%-8s %-16s %d pages" % (split, layout, n), file=sys.stderr)
    total = sum(os.path.getsize(p) for p, _ in pdfs)
    keep = pdf_mode == "keep" or (pdf_mode == "auto" and not only and total <= PDF_BUDGET)
    for src, dst in pdfs:
        if keep:
            shutil.copyfile(src, dst)
        elif os.path.exists(dst):
            os.remove(dst)
    print("PDFs: %.1f MB total, %s" % (total / 1e6, "kept in the tree" if keep else "not kept (left in %s)" % tmp),
          file=sys.stderr)
    print("layout attempts %d, paragraphs kept in one column %d, reseeds %d, pdfminer-unstable pages %d"
          % (STATS["attempts"], STATS["keeps"], STATS["reseeds"], STATS.get("unstable", 0)),
          file=sys.stderr)
    return tmp


def check_glyphs(pool):
    from reportlab.pdfbase import pdfmetrics
    chars = set()
    for a in pool.values():
        for f in ("kicker", "title", "subtitle", "byline"):
            chars |= set(a[f] or "")
        for p in a["paras"]:
            chars |= set(p)
    for name in FACES:
        cm = pdfmetrics.getFont(name).face.charToGlyph
        miss = [c for c in chars if ord(c) not in cm and not c.isspace()]
        assert not miss, "%s lacks %r" % (name, "".join(miss))


# --------------------------------------------------------------------------------------
# sanity check

def norm(s):
    return "".join(s.split())


def gold_strings(g):
    """(field, string, readable, article index, paragraph index) for every gold string."""
    out = []
    for ai, a in enumerate(g["articles"]):
        unread = set(a["unreadable"])
        for f in ("kicker", "title", "subtitle", "byline"):
            if a[f]:
                out.append((f, a[f], f not in unread, ai, None))
        for pi, p in enumerate(a["paragraphs"]):
            out.append(("paragraphs", p, "paragraphs" not in unread, ai, pi))
    for s in g["furniture"]:
        out.append(("furniture", s, True, None, None))
    return out


def page_problems(g, pdfminer_text, keys=None):
    """[(message, paragraph key or None)] for one page."""
    text = norm(pdfminer_text)
    probs = []
    strings = gold_strings(g)
    for field, s, readable, ai, pi in strings:
        if readable and norm(s) not in text:
            key = None
            if keys is not None and pi is not None:
                key = keys[ai] + (pi,)
            probs.append(("MISSING %s: %s" % (field, s[:50]), key))
    # remove every readable gold string once, longest first; what is left must be nothing
    # but continuation-mark wrappers, or the garbage of unreadable fields
    rest = text
    for ns in sorted((norm(s) for f, s, r, _, _ in strings if r), key=len, reverse=True):
        rest = rest.replace(ns, "\x01", 1)
    for field, s, readable, ai, pi in strings:
        if not readable and norm(s) in rest:
            probs.append(("READABLE %s marked unreadable: %s" % (field, s[:40]), None))
    if not probs and not any(a["unreadable"] for a in g["articles"]):
        left = re.sub(r"[（(]?[下上][转接][^）)\x01]*[）)]?", "", rest).replace("\x01", "")
        if left:
            probs.append(("UNACCOUNTED: %s" % left[:80], None))
    return probs


def check(root):
    problems = 0
    pages = 0
    for split in ("tune", "heldout"):
        sd = os.path.join(root, split)
        if not os.path.isdir(sd):
            continue
        for layout in sorted(os.listdir(sd)):
            ld = os.path.join(sd, layout)
            for fn in sorted(os.listdir(ld)):
                if not fn.endswith(".gold.json"):
                    continue
                name = fn[:-len(".gold.json")]
                pages += 1
                with open(os.path.join(ld, fn), encoding="utf-8") as f:
                    g = json.load(f)
                with open(os.path.join(ld, "pdfminer", name + ".txt"), "rb") as f:
                    text = f.read().decode("utf-8", "replace")
                for msg, _ in page_problems(g, text):
                    problems += 1
                    print("%s/%s/%s %s" % (split, layout, name, msg))
    print("checked %d pages, %d problems" % (pages, problems))
    return problems == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only run the sanity check on the tree on disk")
    ap.add_argument("--only", nargs="*", help="only these layouts")
    ap.add_argument("--pdf", choices=["auto", "keep", "drop"], default="auto",
                    help="keep page PDFs in the tree (auto: only if they total under 5 MB)")
    ap.add_argument("--out", default=HERE, help="root of the corpus (default: this folder)")
    args = ap.parse_args()
    if not args.check:
        generate(args.out, args.only, args.pdf)
    ok = check(args.out)
    sys.exit(0 if ok else 1)


LAYOUTS.update({
    "headline_first": (single(lay_headline_first), 4, 2),
    "headline_after": (single(lay_headline_after), 4, 2, headline_after_ok),
    "two_line_heads": (single(lay_two_line_heads), 4, 2),
    "byline_end": (single(lay_byline_end), 4, 2),
    "briefs": (single(lay_briefs), 4, 2),
    "long_article": (single(lay_long_article), 4, 2),
    "continuations": (lay_continuations, 4, 2),
    "furniture": (single(lay_furniture), 4, 2),
    "unequal_columns": (single(lay_unequal_columns), 4, 2),
})

if __name__ == "__main__":
    main()
