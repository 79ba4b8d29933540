"""The feed's lock (hub.feed.service.lock) lives as long as the savepoint it was taken in: a savepoint
rolled back gives it back — on PostgreSQL the advisory lock and its notice go with it — so the next
change in the same transaction takes it again; one released into its parent keeps it."""

import pytest

from hub.feed import service as feed


class Refused(Exception):
    pass


def test_a_rolled_back_savepoint_gives_the_lock_back(hub):
    with hub.app.state.db.write() as session:
        with pytest.raises(Refused), session.begin_nested():
            feed.lock(session)
            assert session.info.get("feed_locked") is not None
            raise Refused
        assert session.info.get("feed_locked") is None  # taken again by the next change
        with session.begin_nested():
            feed.lock(session)
        kept = session.info.get("feed_locked")
        assert kept is not None  # released into the transaction: still held
        with pytest.raises(Refused), session.begin_nested():
            feed.lock(session)  # (held already: nothing taken in this savepoint)
            raise Refused
        assert session.info.get("feed_locked") is kept
