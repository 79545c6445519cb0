#!/usr/bin/env python3
"""Fixtures for archives that already say where each article is (see README.md).

    python3 make_archives.py                 # rewrite crawler/, markdown/, jsonl/ from source/
    python3 make_archives.py --check         # re-read every fixture against its gold file,
                                             # regenerate into a temp dir and compare, and
                                             # check a small --big archive in every form
    python3 make_archives.py --big N --out DIR [--form F] [--seed S] [--days D]
                                             # N articles for measuring, gold in DIR-gold/

Everything is deterministic: the article pool (source/articles.json) and fixed seeds.
Standard library only (Python 3.8+).
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
POOL_PATH = os.path.join(HERE, "source", "articles.json")
OUTPUT_DIRS = ("crawler", "markdown", "jsonl")
PAPER = "人民日报"
IND = "\u3000\u3000"  # the crawler's paragraph indent: two ideographic spaces
CST = dt.timezone(dt.timedelta(hours=8))  # dates of epoch times are read in Beijing time
PAGE_NAMES = {1: "要闻", 2: "要闻", 3: "要闻", 4: "要闻", 5: "评论", 6: "经济", 7: "经济",
              8: "社会", 9: "理论", 10: "文化", 11: "科技", 12: "生态", 13: "体育",
              14: "国际", 15: "副刊", 16: "广告"}
FORMS = ("crawler", "markdown-a", "markdown-b", "markdown-c", "jsonl")


# ---------------------------------------------------------------- pool and articles

def load_pool():
    with open(POOL_PATH, encoding="utf-8") as f:
        arts = json.load(f)["articles"]
    return {a["id"]: a for a in arts}, arts


def dateline(date):
    """The dateline date of an article published on `date`: the day before."""
    return date - dt.timedelta(days=1)


def fill(s, date):
    if s is None:
        return None
    d = dateline(date)
    return s.replace("{md}", "%d月%d日" % (d.month, d.day)).replace("{d}", "%d日" % d.day)


def instance(a, date, swap=None):
    """A pool article as published on `date`: placeholders filled (and, for the big
    archives, place names swapped)."""
    def f(s):
        s = fill(s, date)
        return swap(s) if (swap and s is not None) else s
    return {
        "kicker": f(a["kicker"]), "title": f(a["title"]), "subtitle": f(a["subtitle"]),
        "byline": f(a["byline"]), "byline_style": a["byline_style"], "credit": f(a["credit"]),
        "paragraphs": [f(p) for p in a["paragraphs"]],
    }


def norm_byline(raw):
    """Gold `byline`: the byline as written with every whitespace character removed."""
    return None if raw is None else "".join(ch for ch in raw if not ch.isspace())


def byline_sep(byline):
    """What the writer puts between an inline byline and the text: nothing after a
    closing bracket, two spaces after a bare dateline (`本报北京10月17日电  国务院…`)."""
    return "" if byline.endswith("）") else "  "


def body_lines(inst):
    """The body as written, one entry per paragraph/line: an inline byline glued to the
    first paragraph, a byline line on its own, the credit last."""
    out = []
    paras = inst["paragraphs"]
    if inst["byline_style"] == "inline":
        out.append(inst["byline"] + byline_sep(inst["byline"]) + paras[0])
        paras = paras[1:]
    elif inst["byline_style"] == "line":
        out.append(inst["byline"])
    out += paras
    if inst["credit"]:
        out.append(inst["credit"])
    return out


def gold_article(inst, date=None, page=None, order=None, line=None, keep_kicker=True,
                 keep_subtitle=True, extra=None):
    g = {
        "line": line,
        "kicker": inst["kicker"] if keep_kicker else None,
        "title": inst["title"],
        "subtitle": inst["subtitle"] if keep_subtitle else None,
        "byline": norm_byline(inst["byline"]),
        "byline_raw": inst["byline"],
        "credit": inst["credit"],
        "paragraphs": list(inst["paragraphs"]),
        "date": date.isoformat() if date else None,
        "page": page,
        "order": order,
    }
    if extra:
        g.update(extra)
    return g


def gold_file(form, articles, paper=None, date=None, page=None, page_name=None, ad=False,
              duplicate_of=None, bad_lines=()):
    return {
        "form": form, "paper": paper, "date": date.isoformat() if date else None,
        "page": page, "page_name": page_name, "ad": ad, "duplicate_of": duplicate_of,
        "bad_lines": list(bad_lines), "articles": articles,
    }


_made_dirs = set()


def write_bytes(path, data):
    d = os.path.dirname(path)
    if d not in _made_dirs:
        os.makedirs(d, exist_ok=True)
        _made_dirs.add(d)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def write_text(path, text, bom=False):
    write_bytes(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))


_scalar = json.JSONEncoder(ensure_ascii=False).encode


def pretty(obj, ind="\n"):
    """json.dumps(obj, ensure_ascii=False, indent=2), byte for byte, several times faster
    (the C encoder does the strings)."""
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        inner = ind + "  "
        return "{" + ",".join(inner + _scalar(k) + ": " + pretty(v, inner)
                              for k, v in obj.items()) + ind + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        inner = ind + "  "
        return "[" + ",".join(inner + pretty(v, inner) for v in obj) + ind + "]"
    return _scalar(obj)


def write_gold(path, obj):
    write_text(path, pretty(obj) + "\n")


def gold_path(input_path):
    stem, _ = os.path.splitext(input_path)
    return stem + ".gold.json"


def d8(date):
    return date.strftime("%Y%m%d")


def cn_date(date):
    return "%d年%d月%d日" % (date.year, date.month, date.day)


# ---------------------------------------------------------------- form 1: crawler files

def crawler_rel(date, page, order, paper=PAPER):
    """`人民日报/2019年10月/20191018/20191018-01-04.txt` (the month is not zero-padded)."""
    return "%s/%d年%d月/%s/%s-%02d-%02d.txt" % (paper, date.year, date.month, d8(date),
                                               d8(date), page, order)


def render_crawler(inst, byline_indent=True, credit_indent=True, blank_after=None):
    """kicker / title / subtitle lines, then one `　　`-indented line per paragraph, CRLF.
    `blank_after=i` adds an empty paragraph (just the indent) after body line i."""
    head = [inst["kicker"] or "", inst["title"], inst["subtitle"] or ""]
    body = []
    lines = body_lines(inst)
    for i, l in enumerate(lines):
        is_byline = i == 0 and inst["byline_style"] == "line"
        is_credit = i == len(lines) - 1 and inst["credit"]
        indent = IND
        if (is_byline and not byline_indent) or (is_credit and not credit_indent):
            indent = ""
        body.append(indent + l)
        if blank_after == i:
            body.append(IND)
    return "\r\n".join(head + body) + "\r\n"


AD_TEXTS = {"header": "\r\n广告\r\n\r\n", "bare": "广告"}


# ---------------------------------------------------------------- form 2: markdown pages

def emphasise(p):
    """`**近年来**，…`: the first clause in bold when it is short."""
    k = p.find("，")
    if 2 <= k <= 16 and not p.startswith("图为") and not any(c in p[:k] for c in "。“”：（"):
        return "**" + p[:k] + "**" + p[k:]
    return p


def emphasise_quote(p):
    """`**“小网格”**撬动…`: a quoted phrase in bold (CommonMark's flanking rules do not
    close this one; the gold text has no asterisks all the same)."""
    m = re.search("“[^”]{1,12}”", p)
    if not m:
        return p
    return p[:m.start()] + "**" + m.group(0) + "**" + p[m.end():]


def wrap_cjk(p, width):
    """Hard-wrap a paragraph at about `width` characters, never next to whitespace and
    never between two ASCII letters/digits, so the lines join back with nothing."""
    out, start = [], 0
    while len(p) - start > width:
        cut = start + width
        while cut < len(p) and (p[cut - 1].isspace() or p[cut].isspace()
                                or (p[cut - 1].isascii() and p[cut - 1].isalnum()
                                    and p[cut].isascii() and p[cut].isalnum())):
            cut += 1
        if cut >= len(p):
            break
        out.append(p[start:cut])
        start = cut
    out.append(p[start:])
    return out


def md_body(inst, indent="", emph=None, image=None, wrap=None):
    """Body paragraphs as Markdown blocks (blank-line separated)."""
    blocks = []
    lines = body_lines(inst)
    n_para = 0
    for i, l in enumerate(lines):
        is_byline = i == 0 and inst["byline_style"] == "line"
        is_credit = i == len(lines) - 1 and bool(inst["credit"])
        if not (is_byline or is_credit):
            if emph and n_para >= 1 and emph(l) != l:
                l = emph(l)  # once: the first paragraph after the first that takes it
                emph = None
            n_para += 1
        if image and l.startswith("图为") and not is_credit:
            blocks.append("![%s](%s)\n%s" % (l, image, l))
            continue
        if wrap and not (is_byline or is_credit):
            blocks.append("\n".join(indent + w if j == 0 else w
                                    for j, w in enumerate(wrap_cjk(l, wrap))))
            continue
        blocks.append(indent + l)
    return "\n\n".join(blocks)


def md_a(heading, insts, indent=""):
    """Style a: `# page heading`, `*kicker*` / `## title` / `**subtitle**`."""
    parts = [heading]
    for inst in insts:
        h = []
        if inst["kicker"]:
            h.append("*%s*" % inst["kicker"])
        h.append("## " + inst["title"])
        if inst["subtitle"]:
            h.append("**%s**" % inst["subtitle"])
        parts.append("\n".join(h))
        parts.append(md_body(inst, indent=indent))
    return "\n\n".join(parts) + "\n"


def md_b(meta, insts, naive=False, wrap=None):
    """Style b: YAML front matter; `> kicker` / `# title` / `> subtitle`. `naive` writes
    the quote lines even when empty (`> `)."""
    fm = ["---"] + ["%s: %s" % kv for kv in meta] + ["---"]
    parts = ["\n".join(fm)]
    for inst in insts:
        h = []
        if inst["kicker"] or naive:
            h.append("> " + (inst["kicker"] or ""))
        h.append("# " + inst["title"])
        if inst["subtitle"] or naive:
            h.append("> " + (inst["subtitle"] or ""))
        parts.append("\n".join(h))
        parts.append(md_body(inst, wrap=wrap))
    return "\n\n".join(parts) + "\n"


def md_c(insts, trailing_rule=False):
    """Style c: `### title`, a `——subtitle` line under it, articles between `---` rules,
    no page heading (date and page only in the file name)."""
    arts = []
    for inst in insts:
        h = ["### " + inst["title"]]
        if (inst["subtitle"] or "").startswith("——"):
            h.append(inst["subtitle"])
        arts.append("\n".join(h) + "\n\n" + md_body(inst))
    text = "\n\n---\n\n".join(arts)
    if trailing_rule:
        text += "\n\n---"
    return text + "\n"


def md_d(meta, insts, images, quote_emph=()):
    """Style d: TOML front matter; `## title`, `——subtitle` line, an image with its
    caption, `**bold**` inside paragraphs."""
    fm = ["+++"] + ["%s = %s" % kv for kv in meta] + ["+++"]
    parts = ["\n".join(fm)]
    for i, inst in enumerate(insts):
        h = ["## " + inst["title"]]
        if inst["subtitle"]:
            h.append(inst["subtitle"])
        parts.append("\n".join(h))
        emph = emphasise_quote if i in quote_emph else emphasise
        parts.append(md_body(inst, emph=emph, image=images.get(i)))
    return "\n\n".join(parts) + "\n"


def crlf(text):
    return text.replace("\n", "\r\n")


# ---------------------------------------------------------------- fixtures

def D(s):
    return dt.date.fromisoformat(s)


# (date, page, order, what, options). what: article id | "ad:header" | "ad:bare" |
# "dup:PP-NN" (an identical copy of that file of the same date).
CRAWLER_PLAN = [
    ("2019-09-30", 1, 1, "a001", {}),
    ("2019-09-30", 1, 2, "a002", {"credit_indent": False}),
    ("2019-09-30", 1, 3, "a005", {}),
    ("2019-09-30", 2, 1, "a004", {"byline_indent": False}),
    ("2019-09-30", 2, 2, "a008", {}),
    ("2019-09-30", 2, 3, "ad:header", {}),
    ("2019-09-30", 5, 1, "a011", {}),
    ("2019-09-30", 5, 2, "a012", {}),
    ("2019-10-01", 1, 1, "a003", {}),
    ("2019-10-01", 1, 2, "a038", {}),
    ("2019-10-01", 1, 3, "a006", {}),
    ("2019-10-01", 4, 1, "a010", {}),
    ("2019-10-01", 4, 2, "a009", {}),
    ("2019-10-01", 4, 3, "dup:01-01", {}),
    ("2019-10-01", 12, 1, "a032", {}),
    ("2019-10-01", 12, 2, "a033", {}),
    ("2019-10-01", 12, 3, "a034", {}),
    ("2019-10-18", 1, 1, "a014", {}),
    ("2019-10-18", 1, 2, "a064", {}),
    ("2019-10-18", 1, 3, "a018", {}),
    ("2019-10-18", 1, 4, "a048", {}),
    ("2019-10-18", 3, 1, "dup:01-02", {}),
    ("2019-10-18", 3, 2, "a007", {"blank_after": 2}),
    ("2019-10-18", 3, 3, "a050", {}),
    ("2019-10-18", 5, 1, "a013", {"credit_indent": False}),
    ("2019-10-18", 5, 2, "a043", {}),
    ("2019-10-18", 7, 1, "a015", {}),
    ("2019-10-18", 7, 2, "a016", {}),
    ("2019-10-18", 7, 3, "a017", {}),
    ("2019-10-18", 7, 4, "ad:bare", {}),
    ("2019-10-18", 15, 1, "a045", {}),
    ("2019-10-18", 15, 2, "a046", {"credit_indent": False}),
    ("2019-10-18", 15, 3, "a047", {}),
    ("2019-10-19", 2, 1, "a039", {}),
    ("2019-10-19", 2, 2, "a020", {}),
    ("2019-10-19", 2, 3, "a022", {}),
    ("2019-10-19", 13, 1, "a036", {}),
    ("2019-10-19", 13, 2, "a037", {"byline_indent": False}),
    ("2019-10-19", 13, 3, "ad:header", {}),
    ("2019-10-19", 13, 4, "a063", {}),
]

# Markdown pages: (file, date, page, page_name, article ids, options)
MD_A = [
    ("20191001-01.md", "2019-10-01", 1, None, ["a002", "a003", "a008", "a006"],
     {"heading": "# 人民日报 2019年10月1日 第01版"}),
    ("20191001-02.md", "2019-10-01", 2, "要闻", ["a010", "a049", "a051", "a065"],
     {"heading": "# 第02版：要闻", "crlf": True}),
    ("20191018-04.md", "2019-10-18", 4, None, ["a064", "a021", "a054"],
     {"heading": "# 人民日报 2019年10月18日 第04版", "indent": IND}),
    ("20191018-10.md", "2019-10-18", 10, "文化", ["a025", "a026", "a027", "a028", "a067"],
     {"heading": "# 第10版：文化", "crlf": True}),
    ("20191019-11.md", "2019-10-19", 11, "科技", ["a029", "a030", "a031", "a058", "a059"],
     {"heading": "# 第11版：科技"}),
]
MD_B = [
    ("page-one.md", "2019-10-18", 1, "要闻", ["a001", "a002", "a004", "a018"],
     {"meta": [("paper", PAPER), ("date", "2019-10-18"), ("page", "1"), ("page_name", "要闻")]}),
    ("economy.md", "2019-10-18", 6, "经济", ["a055", "a056", "a057", "a068"],
     {"meta": [("paper", PAPER), ("date", '"2019-10-18"'), ("page", '"06"'),
               ("page_name", "经济")], "crlf": True}),
    ("society.md", "2019-10-19", 8, "社会", ["a019", "a020", "a022", "a023"],
     {"meta": [("paper", PAPER), ("date", "2019-10-19"), ("page", "8"), ("page_name", "社会")],
      "naive": True}),
    ("world.md", "2019-10-19", 14, "国际", ["a040", "a041", "a042"],
     {"meta": [("paper", PAPER), ("date", "2019-10-19"), ("page", "14"), ("page_name", "国际")],
      "wrap": 30}),
    ("ecology.md", "2019-10-01", 12, "生态", ["a060", "a061", "a032", "a033"],
     {"meta": [("paper", PAPER), ("date", "2019-10-01"), ("page", "12"),
               ("page_name", "生态")]}),
]
MD_C = [
    ("20191018-03.md", "2019-10-18", 3, ["a014", "a048", "a050", "a069"], {}),
    ("20191018-08.md", "2019-10-18", 8, ["a052", "a053", "a004", "a021"], {"crlf": True}),
    ("20191001-05.md", "2019-10-01", 5, ["a011", "a013", "a043"], {}),
    ("20191019-15.md", "2019-10-19", 15, ["a045", "a046", "a047"],
     {"crlf": True, "trailing_rule": True}),
    ("20191001-13.md", "2019-10-01", 13, ["a035", "a062", "a063", "a037"], {}),
]
MD_D = [
    ("ecology.md", "2019-10-18", 12, "生态", ["a032", "a034", "a060", "a010"],
     {"images": {0: "img/20191018-12-01.jpg"}}),
    ("economy.md", "2019-10-18", 7, "经济", ["a015", "a016", "a055"],
     {"images": {0: "img/20191018-07-01.jpg"}}),
    ("society.md", "2019-10-19", 8, "社会", ["a052", "a024", "a021"],
     {"images": {0: "img/20191019-08-01.jpg"}, "quote_emph": (2,), "crlf": True}),
    ("sports.md", "2019-10-19", 13, "体育", ["a062", "a035", "a063"],
     {"images": {0: "img/20191019-13-01.jpg"}}),
    ("culture.md", "2019-10-01", 10, "文化", ["a025", "a026", "a039"],
     {"images": {0: "img/20191001-10-01.jpg"}}),
]


def build_crawler(out, pool):
    root = os.path.join(out, "crawler")
    written = {}
    for ds, page, order, what, opts in CRAWLER_PLAN:
        date = D(ds)
        rel = crawler_rel(date, page, order)
        path = os.path.join(root, rel)
        dup = None
        if what.startswith("ad:"):
            write_text(path, AD_TEXTS[what[3:]])
            write_gold(gold_path(path), gold_file("article_file", [], PAPER, date, page,
                                                  ad=True))
            continue
        if what.startswith("dup:"):
            p, o = (int(x) for x in what[4:].split("-"))
            dup = crawler_rel(date, p, o)
            text, inst = written[dup]
        else:
            inst = instance(pool[what], date)
            text = render_crawler(inst, **opts)
        written[rel] = (text, inst)
        write_text(path, text)
        g = gold_file("article_file", [gold_article(inst, date, page, order)], PAPER, date,
                      page, duplicate_of=dup)
        write_gold(gold_path(path), g)


def build_markdown(out, pool):
    root = os.path.join(out, "markdown")
    for name, ds, page, page_name, ids, o in MD_A:
        date = D(ds)
        insts = [instance(pool[i], date) for i in ids]
        text = md_a(o["heading"], insts, indent=o.get("indent", ""))
        paper = PAPER if PAPER in o["heading"] else None
        emit_md(os.path.join(root, "a", name), text, o, insts, paper, date, page, page_name)
    for name, ds, page, page_name, ids, o in MD_B:
        date = D(ds)
        insts = [instance(pool[i], date) for i in ids]
        text = md_b(o["meta"], insts, naive=o.get("naive", False), wrap=o.get("wrap"))
        emit_md(os.path.join(root, "b", name), text, o, insts, PAPER, date, page, page_name)
    for name, ds, page, ids, o in MD_C:
        date = D(ds)
        insts = [instance(pool[i], date) for i in ids]
        for inst in insts:
            assert inst["kicker"] is None and (inst["subtitle"] or "——").startswith("——"), name
        text = md_c(insts, trailing_rule=o.get("trailing_rule", False))
        emit_md(os.path.join(root, "c", name), text, o, insts, None, date, page, None)
    for name, ds, page, page_name, ids, o in MD_D:
        date = D(ds)
        insts = [instance(pool[i], date) for i in ids]
        for inst in insts:
            assert inst["kicker"] is None and (inst["subtitle"] or "——").startswith("——"), name
        meta = [("paper", '"%s"' % PAPER), ("date", ds), ("page", str(page)),
                ("page_name", '"%s"' % page_name)]
        text = md_d(meta, insts, o["images"], o.get("quote_emph", ()))
        emit_md(os.path.join(root, "d", name), text, o, insts, PAPER, date, page, page_name)


def emit_md(path, text, o, insts, paper, date, page, page_name):
    if o.get("crlf"):
        text = crlf(text)
    write_text(path, text)
    arts = [gold_article(inst, date, page, n + 1) for n, inst in enumerate(insts)]
    write_gold(gold_path(path), gold_file("markdown", arts, paper, date, page, page_name))


def author_of(byline):
    """`本报记者  孙嘉禾  周雨桐` → `孙嘉禾 周雨桐`; `本报北京10月17日电  （记者王海涛）` → `王海涛`;
    `本报讯  （记者朱晓川  通讯员杜若溪）` → `朱晓川`; no reporter → ``."""
    if not byline or "记者" not in byline:
        return ""
    rest = byline[byline.rindex("记者") + 2:].replace("）", " ")
    names = []
    for tok in re.split(r"[\s、]+", rest):
        if not tok:
            continue
        if tok.startswith(("通讯员", "本报", "实习生")):
            break
        names.append(tok)
    return " ".join(names)


def epoch(date, h, m):
    return int(dt.datetime(date.year, date.month, date.day, h, m, tzinfo=CST).timestamp())


def jdump(obj, ascii_only=False):
    return json.dumps(obj, ensure_ascii=ascii_only)


def build_jsonl(out, pool):
    root = os.path.join(out, "jsonl")
    rng = random.Random(20191018)

    def hexid():
        return "".join(rng.choice("0123456789abcdef") for _ in range(12))

    def content(inst, sep="\n", indent=""):
        return sep.join(indent + l for l in body_lines(inst))

    def finish(name, lines, arts, bad=(), newline_at_end=True, crlf_ends=False, bom=False):
        eol = "\r\n" if crlf_ends else "\n"
        text = eol.join(lines) + (eol if newline_at_end else "")
        path = os.path.join(root, name)
        write_text(path, text, bom=bom)
        papers = sorted({a["paper"] for a in arts})
        write_gold(gold_path(path), gold_file("jsonl", arts, papers[0] if len(papers) == 1
                                              else None, bad_lines=bad))

    # 1. news2016zh-like: news_id, keywords, desc, title, source, time, content ("\n").
    specs = [("a001", "2019-10-18", 7, 30), ("a003", "2019-10-01", 6, 0),
             ("a014", "2019-10-18", 7, 30), ("a021", "2019-10-18", 8, 15),
             ("a026", "2019-10-19", 9, 0), ("a029", "2019-10-19", 9, 5),
             ("a040", "2019-10-19", 10, 0), ("a049", "2019-10-01", 7, 45),
             ("a058", "2019-10-19", 11, 20), ("a068", "2019-10-18", 12, 0)]
    lines, arts = [], []
    for n, (aid, ds, h, m) in enumerate(specs):
        date = D(ds)
        inst = instance(pool[aid], date)
        first = inst["paragraphs"][0]
        rec = {"news_id": hexid(), "keywords": "", "desc": first[:first.find("。") + 1]
               if "。" in first else first, "title": inst["title"], "source": PAPER,
               "time": "%s %02d:%02d:00" % (ds, h, m), "content": content(inst)}
        if n in (3, 8):
            rec["url"] = "http://example.invalid/rmrb/%s/%02d.html" % (d8(date), n)
            rec["crawl_time"] = "2019-11-02 03:14:15"
        lines.append(jdump(rec, ascii_only=n in (1, 6)))
        arts.append(gold_article(inst, date, None, None, line=n + 1, keep_kicker=False,
                                 keep_subtitle=False,
                                 extra={"id": rec["news_id"], "paper": PAPER, "author": None}))
    finish("news2016zh_style.jsonl", lines, arts)

    # 2. rmrb dump: id, paper, date (年月日 or ISO), page ("01", "第04版", 4), title,
    #    author, body ("　　" indents, "\n"), extra fields; three broken lines.
    specs = [("a002", "2019-10-18", "01"), ("a004", "2019-10-18", "01"),
             ("a007", "2019-10-18", "03"), ("a010", "2019-10-18", "第04版"),
             ("BAD:comma", None, None),
             ("a019", "2019-10-19", 8), ("a020", "2019-10-19", 8),
             ("a023", "2019-10-19", "08"), ("a027", "2019-10-19", "第10版"),
             ("a030", "2019-10-19", "11"),
             ("BAD:array", None, None),
             ("a033", "2019-10-19", "12"), ("a038", "2019-10-20", "05"),
             ("a064", "2019-10-20", "01"), ("a070", "2019-10-20", "12"),
             ("BAD:truncated", None, None)]
    lines, arts, bad = [], [], []
    for n, (aid, ds, page) in enumerate(specs):
        ln = n + 1
        if aid.startswith("BAD:"):
            bad.append(ln)
            if aid == "BAD:comma":
                inst = instance(pool["a017"], D("2019-10-18"))
                rec = {"id": "rm-20191018-%04d" % ln, "paper": PAPER, "date": "2019年10月18日",
                       "page": "07", "title": inst["title"], "author": "周雨桐",
                       "body": content(inst, indent=IND)}
                lines.append(jdump(rec)[:-1] + ",}")  # a trailing comma: not JSON
            elif aid == "BAD:array":
                lines.append('["rm-20191019-0011", "人民日报", "2019年10月19日", "11"]')
            else:
                inst = instance(pool["a041"], D("2019-10-20"))
                rec = {"id": "rm-20191020-%04d" % ln, "paper": PAPER, "date": "2019年10月20日",
                       "page": "14", "title": inst["title"], "author": "潘悦",
                       "body": content(inst, indent=IND)}
                full = jdump(rec)
                lines.append(full[:full.index("。") + 1])  # cut in the middle of the body
            continue
        date = D(ds)
        inst = instance(pool[aid], date)
        author = author_of(inst["byline"])
        rec = {"id": "rm-%s-%04d" % (d8(date), ln), "paper": PAPER,
               "date": ds if ln in (2, 7) else cn_date(date), "page": page,
               "title": inst["title"], "author": author, "body": content(inst, indent=IND)}
        if ln in (3, 9, 13):
            rec["url"] = "http://example.invalid/rmrb/%s/nw_%d.htm" % (d8(date), ln)
            rec["images"] = [] if ln != 9 else ["img/%s-10-01.jpg" % d8(date)]
            rec["meta"] = {"crawler": "v2", "retries": ln % 3}
        lines.append(jdump(rec))
        pg = page if isinstance(page, int) else int(re.sub(r"\D", "", page))
        arts.append(gold_article(inst, date, pg, None, line=ln, keep_kicker=False,
                                 keep_subtitle=False,
                                 extra={"id": rec["id"], "paper": PAPER,
                                        "author": author or None}))
    finish("rmrb_dump.jsonl", lines, arts, bad=bad, newline_at_end=False)

    # 3. NDJSON feed: id, title, text ("\n\n"), pub_date (epoch seconds), source, page.
    specs = [("a006", "2019-10-18", 1, 9, 0, PAPER), ("a009", "2019-10-18", 4, 6, 30, "新华社"),
             ("a016", "2019-10-18", 7, 10, 0, PAPER), ("a024", "2019-10-19", 8, 7, 0, PAPER),
             ("a034", "2019-10-19", 12, 5, 30, "新华社"), ("a044", "2019-10-19", 9, 9, 0, PAPER),
             ("a053", "2019-10-20", 8, 8, 0, PAPER), ("a066", "2019-10-20", 8, 20, 0, PAPER)]
    lines, arts = [], []
    for n, (aid, ds, page, h, m, src) in enumerate(specs):
        date = D(ds)
        inst = instance(pool[aid], date)
        rec = {"id": 9100 + n, "title": inst["title"], "text": content(inst, sep="\n\n"),
               "pub_date": epoch(date, h, m), "source": src, "page": page}
        lines.append(jdump(rec))
        arts.append(gold_article(inst, date, page, None, line=n + 1, keep_kicker=False,
                                 keep_subtitle=False,
                                 extra={"id": str(rec["id"]), "paper": src, "author": None}))
    finish("feed.ndjson", lines, arts, newline_at_end=False)

    # 4. Other field names, for a field mapping in config; CRLF, a UTF-8 BOM.
    specs = [("a011", "2019-10-18", 5), ("a012", "2019-10-18", 5), ("a013", "2019-10-18", 5),
             ("a043", "2019-10-19", 9), ("a045", "2019-10-19", 15), ("a047", "2019-10-19", 15)]
    lines, arts = [], []
    for n, (aid, ds, page) in enumerate(specs):
        date = D(ds)
        inst = instance(pool[aid], date)
        rec = {"headline": inst["title"], "article": content(inst),
               "published": "%sT06:00:00+08:00" % ds, "outlet": PAPER, "pageno": page,
               "writer": None, "uid": "cf-%02d" % (n + 1), "lang": "zh-CN"}
        lines.append(jdump(rec))
        arts.append(gold_article(inst, date, page, None, line=n + 1, keep_kicker=False,
                                 keep_subtitle=False,
                                 extra={"id": rec["uid"], "paper": PAPER, "author": None}))
    finish("custom_fields.jsonl", lines, arts, crlf_ends=True, bom=True)


def build_fixtures(out):
    pool, _ = load_pool()
    for d in OUTPUT_DIRS:
        shutil.rmtree(os.path.join(out, d), ignore_errors=True)
    build_crawler(out, pool)
    build_markdown(out, pool)
    build_jsonl(out, pool)


# ---------------------------------------------------------------- big archives

PLACES = ["云州", "桐川", "北漳", "南屏", "柳河", "安澜", "青溪"]
PLACE_RE = re.compile("|".join(PLACES))


class Big:
    """N distinct articles recombined from the pool, laid out on dates, pages and orders;
    ~3% ad slots and ~2% duplicate copies on top (form 1 only for ads)."""

    def __init__(self, n, seed=1, days=None, start=dt.date(2019, 10, 1)):
        _, arts = load_pool()
        rng = random.Random(seed * 1000003 + n)
        self.rng = rng
        paras = [p for a in arts for p in a["paragraphs"]]
        titles = [a["title"] for a in arts]
        halves = [t.split("\u3000") for t in titles if t.count("\u3000") == 1]
        kickers = [a["kicker"] for a in arts if a["kicker"]]
        subs = [a["subtitle"] for a in arts if a["subtitle"]]
        bylines = [(a["byline"], a["byline_style"]) for a in arts if a["byline"]]
        credits = [a["credit"] for a in arts if a["credit"]]
        prefixes = [t[:t.index("：") + 1] for t in titles if "：" in t[:6]]
        per_day = 40.0 if not days else max(1.0, n / days)
        # pages a day: about per_day / 5 (1–9 articles a page, mean 5); with --days and
        # many articles, up to 40 pages and then more articles a page
        mean_pages = min(40, max(1, round(per_day / 5)))
        kmax = max(9, round(2 * per_day / mean_pages) - 1)
        self.days = []  # [(date, [[slot, ...] per page])] ; slot = ("art", i) | ("ad",) | ("dup", i)
        self.articles = []  # (date, page, order, record)
        date = start
        i = 0
        while i < n:
            npages = max(1, min(99, mean_pages + rng.randint(-2, 2)))
            pages = []
            for p in range(1, npages + 1):
                k = rng.randint(1, kmax)
                slots = []
                for _ in range(k):
                    if i >= n:
                        break
                    slots.append(["art", i])
                    self.articles.append(self._make(rng, date, paras, titles, halves, prefixes,
                                                    kickers, subs, bylines, credits))
                    i += 1
                if slots:
                    pages.append(slots)
            self.days.append((date, pages))
            date += dt.timedelta(days=1)
        # duplicates: a copy of an article placed at the end of a later page of its day
        cands = [(di, pi, si) for di, (_, pages) in enumerate(self.days)
                 for pi, slots in enumerate(pages) for si in range(len(slots))
                 if pi + 1 < len(pages)]
        ndup = min(len(cands), round(0.02 * n))
        for di, pi, si in sorted(rng.sample(cands, ndup)):
            pages = self.days[di][1]
            target = rng.randint(pi + 1, len(pages) - 1)
            pages[target].append(["dup", pages[pi][si][1], pi, si])
        # ads: at the end of a page
        allpages = [(di, pi) for di, (_, pages) in enumerate(self.days)
                    for pi in range(len(pages))]
        for di, pi in rng.sample(allpages, min(len(allpages), round(0.03 * n))):
            self.days[di][1][pi].append(["ad"])

    def _make(self, rng, date, paras, titles, halves, prefixes, kickers, subs, bylines,
              credits):
        perm = PLACES[:]
        rng.shuffle(perm)
        table = dict(zip(PLACES, perm))

        def swap(s):
            return PLACE_RE.sub(lambda m: table[m.group(0)], s)

        r = rng.random()
        k = (1 if r < 0.08 else rng.randint(2, 8) if r < 0.93 else rng.randint(9, 15)
             if r < 0.99 else rng.randint(30, 40))
        r = rng.random()
        if r < 0.2 and len(halves) > 1:
            a, b = rng.sample(halves, 2)
            title = a[0] + "\u3000" + b[1]
        elif r < 0.4 and prefixes:
            title = rng.choice(prefixes) + rng.choice([t for t in titles if "：" not in t])
        else:
            title = rng.choice(titles)
        byline, style = rng.choice(bylines) if rng.random() < 0.8 else (None, None)
        a = {"kicker": rng.choice(kickers) if rng.random() < 0.25 else None,
             "title": title,
             "subtitle": rng.choice(subs) if rng.random() < 0.2 else None,
             "byline": byline, "byline_style": style,
             "credit": rng.choice(credits) if rng.random() < 0.3 else None,
             "paragraphs": [rng.choice(paras) for _ in range(k)]}
        return instance(a, date, swap)

    def pages(self):
        """Yield (date, page, [(order, kind, inst, orig_rel)])."""
        for date, pages in self.days:
            for pi, slots in enumerate(pages):
                out = []
                for order, s in enumerate(slots, 1):
                    if s[0] == "art":
                        out.append((order, "art", self.articles[s[1]], None))
                    elif s[0] == "dup":
                        _, idx, opi, osi = s
                        out.append((order, "dup", self.articles[idx],
                                    crawler_rel(date, opi + 1, osi + 1)))
                    else:
                        out.append((order, "ad", None, None))
                yield date, pi + 1, out


def big_rel(date, page, ext):
    return "%d年%d月/%s-%02d.%s" % (date.year, date.month, d8(date), page, ext)


def build_big(n, out, form="crawler", seed=1, days=None):
    t0 = time.time()
    big = Big(n, seed=seed, days=days)
    gold_root = out.rstrip("/\\") + "-gold"
    for d in (out, gold_root):
        if os.path.exists(d) and os.listdir(d):
            sys.exit("refusing to write into non-empty %s" % d)
    counts = {"files": 0, "articles": 0, "ads": 0, "duplicates": 0, "bad_lines": 0}
    rendered = {}
    if form == "jsonl":
        months = {}
        for date, page, slots in big.pages():
            months.setdefault((date.year, date.month), []).append((date, page, slots))
    for date, page, slots in (big.pages() if form != "jsonl" else ()):
        if form == "crawler":
            for order, kind, inst, orig in slots:
                rel = crawler_rel(date, page, order)
                if kind == "ad":
                    text, g = AD_TEXTS["header"], gold_file("article_file", [], PAPER, date,
                                                            page, ad=True)
                    counts["ads"] += 1
                else:
                    if kind == "dup":
                        text = rendered[orig]
                        counts["duplicates"] += 1
                    else:
                        r = big.rng.random()
                        text = render_crawler(inst, byline_indent=r > 0.2, credit_indent=r > 0.4)
                        rendered[rel] = text
                        counts["articles"] += 1
                    g = gold_file("article_file", [gold_article(inst, date, page, order)], PAPER,
                                  date, page, duplicate_of=orig)
                write_text(os.path.join(out, rel), text)
                write_gold(gold_path(os.path.join(gold_root, rel)), g)
                counts["files"] += 1
            continue
        insts = [inst for _, kind, inst, _ in slots if kind != "ad"]
        if not insts:
            continue
        counts["articles"] += sum(1 for s in slots if s[1] == "art")
        counts["duplicates"] += sum(1 for s in slots if s[1] == "dup")
        name = PAGE_NAMES.get(page)
        paper = None
        if form == "markdown-a":
            text = md_a("# %s %s 第%02d版" % (PAPER, cn_date(date), page), insts)
            paper = PAPER
        elif form == "markdown-b":
            meta = [("paper", PAPER), ("date", date.isoformat()), ("page", str(page))]
            if name:
                meta.append(("page_name", name))
            text = md_b(meta, insts)
            paper = PAPER
        else:
            text = md_c(insts)
        rel = big_rel(date, page, "md")
        write_text(os.path.join(out, rel), text)
        g_name = name if form == "markdown-b" else None
        arts = [gold_article(inst, date, page, k + 1) for k, inst in enumerate(insts)]
        if form == "markdown-c":
            # style c has no kicker line; a subtitle only as a `——` line
            for inst, a in zip(insts, arts):
                a["kicker"] = None
                if inst["subtitle"] and not inst["subtitle"].startswith("——"):
                    a["subtitle"] = None
        write_gold(gold_path(os.path.join(gold_root, rel)),
                   gold_file("markdown", arts, paper, date, page, g_name))
        counts["files"] += 1
    if form == "jsonl":
        for (y, m), pages in sorted(months.items()):
            lines, arts, bad = [], [], []
            for date, page, slots in pages:
                for order, kind, inst, orig in slots:
                    if kind == "ad":
                        continue
                    if big.rng.random() < 0.001:
                        bad.append(len(lines) + 1)
                        lines.append(['{"title": "%s", "content": ' % inst["title"],
                                      '["broken"]', "{'title': 'x'}"][len(bad) % 3])
                        counts["bad_lines"] += 1
                    nid = "%s%02d%02d" % (d8(date), page, order)
                    rec = {"news_id": nid, "title": inst["title"],
                           "content": "\n".join(body_lines(inst)),
                           "time": "%s 07:30:00" % date.isoformat(), "source": PAPER,
                           "page": page}
                    lines.append(json.dumps(rec, ensure_ascii=False))
                    arts.append(gold_article(inst, date, page, None, line=len(lines),
                                             keep_kicker=False, keep_subtitle=False,
                                             extra={"id": nid, "paper": PAPER, "author": None}))
                    counts["duplicates" if kind == "dup" else "articles"] += 1
            rel = "%s-%d-%02d.jsonl" % (PAPER, y, m)
            write_text(os.path.join(out, rel), "\n".join(lines) + "\n")
            write_gold(gold_path(os.path.join(gold_root, rel)),
                       gold_file("jsonl", arts, PAPER, bad_lines=bad))
            counts["files"] += 1
    days_n = len(big.days)
    print("%s: %d files, %d articles, %d duplicate copies, %d ad files, %d bad lines; "
          "%d days from %s; gold in %s (%.1f s)" % (
              form, counts["files"], counts["articles"], counts["duplicates"], counts["ads"],
              counts["bad_lines"], days_n, big.days[0][0], gold_root, time.time() - t0))
    return counts


# ---------------------------------------------------------------- check

class Checker:
    def __init__(self):
        self.errors = []
        self.n = 0

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))

    def in_order(self, where, hay, needles):
        pos = 0
        for s in needles:
            if s is None:
                continue
            k = hay.find(s, pos)
            if k < 0:
                self.err(where, "not found (in order): %r" % s[:40])
                return
            pos = k + len(s)

    def article_strings(self, a):
        return [a["kicker"], a["title"], a["subtitle"], a["byline_raw"]] + a["paragraphs"] + [
            a["credit"]]

    def common(self, where, a):
        if norm_byline(a["byline_raw"]) != a["byline"]:
            self.err(where, "byline is not byline_raw without whitespace")
        for p in a["paragraphs"]:
            if not p or p != p.strip() or p.startswith("\u3000"):
                self.err(where, "paragraph not trimmed: %r" % p[:20])
        if a["credit"] is not None and a["credit"] != a["credit"].strip():
            self.err(where, "credit not trimmed")

    def pair(self, path, gpath, root):
        where = os.path.relpath(path, root)
        self.n += 1
        with open(gpath, encoding="utf-8") as f:
            g = json.load(f)
        raw = open(path, "rb").read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.err(where, "not UTF-8")
            return
        form = g["form"]
        if form != "jsonl" and (g["bad_lines"] or g["articles"] and any(
                a["line"] is not None for a in g["articles"])):
            self.err(where, "line numbers outside jsonl")
        if form == "article_file":
            if b"\n" in raw.replace(b"\r\n", b"") or (raw and b"\r\n" not in raw
                                                      and raw.strip() != "广告".encode()):
                self.err(where, "line ends are not CRLF")
            m = re.search(r"(\d{8})-(\d{2})-(\d{2})\.txt$", path)
            if g["ad"]:
                if text.strip() != "广告" or g["articles"]:
                    self.err(where, "ad file is not just 广告")
            else:
                if len(g["articles"]) != 1:
                    self.err(where, "an article file holds one article")
                a = g["articles"][0]
                lines = text.split("\r\n")
                if lines[1] != a["title"] or (lines[0] or None) != a["kicker"] or (
                        lines[2] or None) != a["subtitle"]:
                    self.err(where, "header lines differ from gold")
                self.in_order(where, text, self.article_strings(a))
                if (a["date"] or "").replace("-", "") != m.group(1) or a["page"] != int(
                        m.group(2)) or a["order"] != int(m.group(3)):
                    self.err(where, "date/page/order differ from the file name")
                self.common(where, a)
            if g["duplicate_of"]:
                first = os.path.join(root, g["duplicate_of"])
                if not os.path.exists(first) or open(first, "rb").read() != raw:
                    self.err(where, "duplicate_of is not an identical file")
                if g["duplicate_of"] >= os.path.relpath(path, root).replace(os.sep, "/"):
                    self.err(where, "duplicate_of does not sort first")
        elif form == "markdown":
            # flatten: no line ends, no emphasis markers, no quote markers at line starts
            flat = re.sub(r"(?m)^> ?", "", text.replace("\r", ""))
            flat = flat.replace("**", "").replace("*", "").replace("\n", "")
            for n, a in enumerate(g["articles"], 1):
                if a["order"] != n:
                    self.err(where, "order is not the position on the page")
                self.common(where, a)
            self.in_order(where, flat, [s for a in g["articles"] for s in self.article_strings(a)])
            heads = re.findall(r"(?m)^#{1,3} (.*?)\r?$", text)
            titles = [a["title"] for a in g["articles"]]
            if heads[-len(titles):] != titles:
                self.err(where, "headings differ from gold titles: %r" % heads[:3])
            if g["date"] is None or g["page"] is None:
                self.err(where, "a markdown page fixture always has a date and a page")
        elif form == "jsonl":
            lines = text.split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            by_line = {a["line"]: a for a in g["articles"]}
            if len(by_line) != len(g["articles"]):
                self.err(where, "two gold articles share a line")
            for ln, l in enumerate(lines, 1):
                try:
                    obj = json.loads(l)
                    ok = isinstance(obj, dict)
                except ValueError:
                    ok = False
                if ok != (ln not in g["bad_lines"]):
                    self.err(where, "line %d: parses=%s but bad_lines says otherwise" % (ln, ok))
                if not ok:
                    continue
                a = by_line.pop(ln, None)
                if a is None:
                    self.err(where, "good line %d has no gold article" % ln)
                    continue
                self.common(where, a)
                title = obj.get("title", obj.get("headline"))
                if title != a["title"]:
                    self.err(where, "line %d: title differs" % ln)
                body = next(obj[k] for k in ("content", "body", "text", "article") if k in obj)
                self.in_order("%s:%d" % (where, ln), body, [a["byline_raw"]] + a["paragraphs"]
                              + [a["credit"]])
                if a["date"] and not self.date_ok(obj, a["date"]):
                    self.err(where, "line %d: date %s not in the record" % (ln, a["date"]))
            if by_line:
                self.err(where, "gold lines with no good line: %s" % sorted(by_line))
        else:
            self.err(where, "unknown form %r" % form)

    @staticmethod
    def date_ok(obj, iso):
        d = D(iso)
        for v in obj.values():
            if isinstance(v, int) and v > 10 ** 8:
                if dt.datetime.fromtimestamp(v, CST).date() == d:
                    return True
            elif isinstance(v, str) and (v.startswith(iso) or v == cn_date(d)):
                return True
        return False

    def tree(self, inputs_root, gold_root, archive_root):
        for dirpath, _, files in os.walk(gold_root):
            for fn in sorted(files):
                if not fn.endswith(".gold.json"):
                    continue
                gp = os.path.join(dirpath, fn)
                stem = gp[: -len(".gold.json")]
                rel_stem = os.path.relpath(stem, gold_root)
                cands = [os.path.join(inputs_root, rel_stem + ext)
                         for ext in (".txt", ".md", ".jsonl", ".ndjson")]
                found = [c for c in cands if os.path.exists(c)]
                if len(found) != 1:
                    self.err(rel_stem, "no single input file for this gold file")
                    continue
                self.pair(found[0], gp, archive_root)
        # every input has a gold file
        for dirpath, _, files in os.walk(inputs_root):
            for fn in files:
                if fn.endswith((".txt", ".md", ".jsonl", ".ndjson")):
                    p = os.path.join(dirpath, fn)
                    rel = os.path.relpath(p, inputs_root)
                    if not os.path.exists(gold_path(os.path.join(gold_root, rel))):
                        self.err(rel, "input without a gold file")


def snapshot(root):
    out = {}
    for d in OUTPUT_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            for fn in files:
                p = os.path.join(dirpath, fn)
                out[os.path.relpath(p, root)] = open(p, "rb").read()
    return out


def run_check():
    ck = Checker()
    for d in OUTPUT_DIRS:
        base = os.path.join(HERE, d)
        if not os.path.isdir(base):
            ck.err(d, "missing: run make_archives.py first")
            continue
        # gold files sit next to their inputs; duplicate_of is relative to `base`
        ck.tree(base, base, base)
    with tempfile.TemporaryDirectory() as tmp:
        build_fixtures(tmp)
        a, b = snapshot(HERE), snapshot(tmp)
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                ck.err(k, "differs from a fresh generation (run make_archives.py)")
        for form in FORMS:
            out = os.path.join(tmp, "big-" + form)
            counts = build_big(300, out, form=form, seed=7)
            sub = Checker()
            sub.tree(out, out + "-gold", out)
            ck.errors += ["big %s: %s" % (form, e) for e in sub.errors]
            ck.n += sub.n
            if form == "crawler" and not (counts["ads"] and counts["duplicates"]):
                ck.err("big crawler", "no ads or no duplicates")
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(HERE) for f in fs
               if "__pycache__" not in dp)
    print("checked %d input files; tests/archives holds %d bytes" % (ck.n, size))
    if size > 1_100_000:
        ck.err("tests/archives", "over ~1 MB")
    for e in ck.errors:
        print("ERROR", e)
    return 1 if ck.errors else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--big", type=int, metavar="N")
    ap.add_argument("--out", metavar="DIR")
    ap.add_argument("--form", choices=FORMS, default="crawler")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=int, help="spread the N articles over this many days "
                    "(default: about 40 articles a day)")
    args = ap.parse_args()
    if args.check:
        sys.exit(run_check())
    if args.big is not None:
        if not args.out:
            ap.error("--big needs --out DIR")
        build_big(args.big, args.out, form=args.form, seed=args.seed, days=args.days)
        return
    build_fixtures(HERE)
    print("wrote", ", ".join(os.path.join(HERE, d) for d in OUTPUT_DIRS))


if __name__ == "__main__":
    main()
