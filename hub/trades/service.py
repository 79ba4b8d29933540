"""The trade catalogue in the database, and its documents for devices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.feed import service as feed
from hub.feed.scope import EVERYONE

from .catalogue import CATALOGUE
from .models import Trade, TradeCategory


def category_doc(c: TradeCategory) -> dict:
    return {"id": c.id, "slug": c.slug, "name": c.name, "sort": c.sort}


def trade_doc(t: Trade) -> dict:
    return {"id": t.id, "slug": t.slug, "name": t.name, "category": t.category_id, "sort": t.sort}


def ensure_catalogue(session: Session) -> int:
    """Adds the categories and trades of the catalogue that are missing; returns how many."""
    categories = {c.slug: c for c in session.scalars(select(TradeCategory))}
    trades = {t.slug: t for t in session.scalars(select(Trade))}
    changes: list[feed.Change] = []
    for ci, (cslug, cname, items) in enumerate(CATALOGUE):
        category = categories.get(cslug)
        if category is None:
            category = categories[cslug] = TradeCategory(slug=cslug, name=cname, sort=ci)
            session.add(category)
            session.flush()
            changes.append(feed.Change("category", category.id, EVERYONE, category_doc(category)))
        for ti, (tslug, tname) in enumerate(items):
            if tslug not in trades:
                trade = trades[tslug] = Trade(slug=tslug, name=tname, category_id=category.id, sort=ti)
                session.add(trade)
                session.flush()
                changes.append(feed.Change("trade", trade.id, EVERYONE, trade_doc(trade)))
    feed.record(session, changes)
    return len(changes)


def all_trades(session: Session) -> list[Trade]:
    return list(session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)))


def all_categories(session: Session) -> list[TradeCategory]:
    return list(session.scalars(select(TradeCategory).order_by(TradeCategory.sort)))
