"""The fast GPO XML reader: same output as the tokenizer's markup reader, an order of magnitude
faster (see :mod:`payforce.extract.text`; pinned by ``tests/extract/test_text.py``).
"""

from __future__ import annotations

import html
import re

from payforce.extract.text_model import (
    _FR_DOC,
    _PAGE_ATTR,
    _TOKEN,
    _WS_COLLAPSE,
    _XML_CELL,
    _XML_DOCS,
    _XML_DROP,
    _XML_INLINE,
    FullText,
)

__all__: list[str] = []


# Whitespace other than a plain space; in a text run without line breaks it changes nothing
# unless it stands next to other whitespace (then the run collapses).
_ODD_SPACE = re.compile(r"[^\S ]")
_THIN = "\u2009"  # thin space: FR XML writes "§\u2009422.2"
_LINE_SPACE = frozenset(" \t\n\r\x0b\x0c")  # a lone one of these is a collapsing run
_TAG_BODY = re.compile(r"(/?)([A-Za-z][\w:.-]*)(.*?)(/?)", re.S)

# What a GPO XML tag does, decided once per distinct tag text (see _gpo_tag_action).
_SKIP, _CELL, _BLOCK, _FRDOC_OPEN, _FRDOC_CLOSE, _DOC_OPEN, _DOC_CLOSE, _PAGE, _DROP = range(9)


def _plain_run(core: str) -> bool:
    """Whether a text run without whitespace at either end and without a double space collapses
    to itself: each whitespace character other than a space stands alone between non-spaces.

    Called for runs that are not printable (thin spaces, mostly), so it checks the printable
    stretches between thin spaces and looks at the neighbours of each thin space.
    """
    start = 0
    while True:
        thin = core.find(_THIN, start)
        if thin < 0:
            if core[start:].isprintable():
                return True
            break
        if not core[start:thin].isprintable():
            break
        if core[thin - 1] == " " or core[thin + 1] in (" ", _THIN):
            return False
        start = thin + 1
    for m in _ODD_SPACE.finditer(core):  # some other odd whitespace: the general check
        i = m.start()
        if core[i] in _LINE_SPACE or core[i - 1].isspace() or core[i + 1].isspace():
            return False
    return True


def _gpo_tag_action(body: str) -> tuple[int, str, int] | None:
    """(action, element name, page) for the text between ``<`` and ``>`` of a GPO XML token, or
    ``None`` where the tokenizer would read it some other way (then the caller falls back)."""
    if body[:1] in ("!", "?"):
        return None if body.startswith("!--") else (_SKIP, "", 0)
    m = _TAG_BODY.fullmatch(body)
    if m is None:
        return None
    closing = m.group(1) == "/"
    selfclosing = m.group(4) == "/"
    key = m.group(2)
    if key == "PRTPAGE":
        page = _PAGE_ATTR.search(m.group(3))
        return (_PAGE, key, int(page.group(1))) if page else (_SKIP, key, 0)
    if key in _XML_DROP:
        return (_DROP, key, 0) if not closing and not selfclosing else (_SKIP, key, 0)
    if key in _XML_INLINE:
        return (_SKIP, key, 0)
    if key in _XML_CELL:
        return (_SKIP, key, 0) if closing else (_CELL, key, 0)
    if key == "FRDOC":
        return (_FRDOC_CLOSE if closing else _FRDOC_OPEN), key, 0
    if key in _XML_DOCS and not selfclosing:
        return (_DOC_CLOSE if closing else _DOC_OPEN), key, 0
    return (_BLOCK, key, 0)


def _drop_step(body: str, name: str) -> int:
    """How a tag inside a dropped element changes the depth of elements named ``name``."""
    m = _TAG_BODY.fullmatch(body)
    if m is None or m.group(2) != name:
        return 0
    return -1 if m.group(1) == "/" else (0 if m.group(4) == "/" else 1)


def _text_pieces(chunk: str, source: int) -> list[tuple[str, int]]:
    """What :meth:`_Builder.emit_text` (and entity decoding) does with character data, as a list
    of (piece, source offset); an empty piece stands for an owed space."""
    pieces: list[tuple[str, int]] = []

    def emit(piece: str, at: int) -> None:  # as _Builder.emit
        if piece[0] == " ":
            pieces.append(("", 0))
            piece = piece[1:]
            at += 1
        if piece and piece[-1] == " ":
            if len(piece) > 1:
                pieces.append((piece[:-1], at))
            pieces.append(("", 0))
        elif piece:
            pieces.append((piece, at))

    for m in _TOKEN.finditer(chunk):
        at = source + m.start()
        if m.group(5) is not None:
            emit(html.unescape(m.group(0)), at)
            continue
        run = m.group(0)
        pos = 0
        for ws in _WS_COLLAPSE.finditer(run):
            if ws.start() > pos:
                emit(run[pos : ws.start()], at + pos)
            pieces.append(("", 0))
            pos = ws.end()
        if pos < len(run):
            emit(run[pos:], at + pos)
    return pieces


def _read_gpo(raw: str) -> FullText | None:
    """GPO XML read as :func:`_read_markup` reads it, an order of magnitude faster.

    The source is split at ``<``; each piece is a tag and the character data after it. Distinct
    tag texts are few, so each is classified once; character data, mostly a run of words between
    indentation, is handled without a regex. Returns ``None`` for anything outside that shape
    (comments, a ``<`` that starts no tag, a tag without ``>``), which the tokenizer then reads.
    """
    parts: list[str] = []
    seg_text: list[int] = []
    seg_source: list[int] = []
    pages: list[tuple[int, int]] = []
    documents: list[tuple[str, int, int]] = []
    doc_stack: list[int] = []
    frdoc_start = -1
    last_doc_number = ""
    length = 0
    pending = ""  # "", " ", "\t" or "\n", as _Builder.pending
    drop_depth = 0
    drop_name = ""
    actions: dict[str, tuple[int, str, int]] = {}
    add_part = parts.append
    add_text = seg_text.append
    add_source = seg_source.append
    line_space = _LINE_SPACE
    plain_run = _plain_run
    pos = -1  # where "<" + segment starts in raw
    for segment in raw.split("<"):
        if pos < 0:
            body, text = "", segment
            pos = len(segment)
            start = 0
        else:
            body, gt, text = segment.partition(">")
            if not gt:
                return None
            start = pos + len(body) + 2
            pos += len(segment) + 1
            if drop_depth:
                if body.startswith("!--"):
                    return None
                drop_depth += _drop_step(body, drop_name)
                if drop_depth:
                    continue
                kind = _SKIP  # the dropped element's end tag: the text after it is read
            else:
                action = actions.get(body)
                if action is None:
                    action = _gpo_tag_action(body)
                    if action is None:
                        return None
                    actions[body] = action
                kind, name, page = action
            if kind == _SKIP:
                pass
            elif kind == _BLOCK:
                pending = "\n"
            elif kind == _CELL:
                if pending != "\n":
                    pending = "\t"
            elif kind == _PAGE:
                pages.append((length, page))
            elif kind == _DROP:
                drop_depth, drop_name = 1, name
                continue
            else:
                pending = "\n"
                if kind == _FRDOC_OPEN:
                    frdoc_start = len(parts)
                elif kind == _FRDOC_CLOSE:
                    if frdoc_start >= 0:
                        found = _FR_DOC.search("".join(parts[frdoc_start:]))
                        if found:
                            last_doc_number = found.group(1)
                        frdoc_start = -1
                elif kind == _DOC_OPEN:
                    doc_stack.append(length)
                    last_doc_number = ""
                elif kind == _DOC_CLOSE and doc_stack:
                    begin = doc_stack.pop()
                    if last_doc_number:
                        documents.append((last_doc_number, begin, length))
        if not text:
            continue
        core = text.strip()
        trail = 0
        if not core:
            if len(text) > 1 or text in line_space:
                if not pending:
                    pending = " "
                continue
            pieces: tuple[tuple[str, int], ...] | list[tuple[str, int]] = ((text, start),)
        elif "&" in text or "  " in core or not (core.isprintable() or plain_run(core)):
            pieces = _text_pieces(text, start)
        else:
            lead = text.find(core[0]) if text[0].isspace() else 0
            if lead:
                if lead > 1 or text[0] in line_space:
                    if not pending:
                        pending = " "
                else:
                    core = text[: 1 + len(core)]
                    lead = 0
            trail = len(text) - lead - len(core)
            if trail == 1 and text[-1] not in line_space:
                core += text[-1]
                trail = 0
            pieces = ((core, start + lead),)
        for piece, source in pieces:
            if not piece:
                if not pending:
                    pending = " "
                continue
            if pending and length:
                sep = pending
                if sep != " " or parts[-1][-1] not in " \t\n":
                    add_part(sep)
                    add_text(length)
                    add_source(source)
                    length += 1
            pending = ""
            add_part(piece)
            add_text(length)
            add_source(source)
            length += len(piece)
        if trail and not pending:
            pending = " "
    return FullText(
        text="".join(parts),
        pages=tuple(pages),
        documents=tuple(documents),
        _seg_text=tuple(seg_text) or (0,),
        _seg_source=tuple(seg_source) or (0,),
    )
