"""Every live document devices may hold, kept in memory by the feed, each rendered once as a snapshot row."""

from __future__ import annotations

import json
from dataclasses import dataclass

from wire.protocol import DOC_KINDS, PUT

from .scope import Scope, View

KIND_ORDER = {kind: i for i, kind in enumerate(DOC_KINDS)}


def _row(doc: dict, cols: list[str]) -> str:
    return json.dumps([doc.get(c) for c in cols], ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class LiveDoc:
    scope: Scope
    expires: int | None  # epoch seconds ("to" of postings and announcements)
    doc: str  # as devices receive it, kept to re-render rows when a kind gains a column
    row: str  # the snapshot row: the doc's values in the kind's column order


class LiveDocs:
    """A snapshot for any view is a filter and a join over this index: no database read and no
    JSON parsing per request, and always at the feed's current head."""

    def __init__(self) -> None:
        self.cols: dict[str, list[str]] = {}
        self.docs: dict[str, dict[int, LiveDoc]] = {}

    def put(self, kind: str, ident: int, doc_json: str, scope: Scope) -> None:
        if kind == "device":  # private documents travel through /devices/me and the feed only
            return
        doc = json.loads(doc_json)
        cols = self.cols.get(kind)
        if cols is None:
            cols = self.cols[kind] = list(doc)
        elif any(key not in cols for key in doc):
            cols.extend(key for key in doc if key not in cols)
            for live in self.docs.get(kind, {}).values():  # rare: a new field after an upgrade
                live.row = _row(json.loads(live.doc), cols)
        expires = doc.get("to") if isinstance(doc.get("to"), int) else None
        self.docs.setdefault(kind, {})[ident] = LiveDoc(scope, expires, doc_json, _row(doc, cols))

    def drop(self, kind: str, ident: int) -> None:
        self.docs.get(kind, {}).pop(ident, None)

    def apply(self, kind: str, ident: int, op: str, doc_json: str, scope: Scope) -> None:
        if op == PUT:
            self.put(kind, ident, doc_json, scope)
        else:
            self.drop(kind, ident)

    def select(self, view: View, now: float) -> dict[str, tuple[list[str], list[str]]]:
        """Columns and rows of every live, unexpired document `view` sees, by kind."""
        out: dict[str, tuple[list[str], list[str]]] = {}
        for kind in sorted(self.docs, key=lambda k: KIND_ORDER.get(k, len(KIND_ORDER))):
            rows = [
                d.row
                for d in self.docs[kind].values()
                if (d.expires is None or d.expires > now) and view.sees(kind, d.scope)
            ]
            if rows:
                out[kind] = (list(self.cols[kind]), rows)
        return out

    def count(self) -> int:
        return sum(len(d) for d in self.docs.values())


def encode(cursor: int, tables: dict[str, tuple[list[str], list[str]]]) -> bytes:
    """The snapshot body (see wire.protocol.decode_snapshot), joined from pre-rendered rows."""
    parts = [
        f'{json.dumps(kind)}:{{"cols":{json.dumps(cols, ensure_ascii=False)},"rows":[{",".join(rows)}]}}'
        for kind, (cols, rows) in tables.items()
    ]
    return f'{{"cursor":{cursor},"kinds":{{{",".join(parts)}}}}}'.encode()
