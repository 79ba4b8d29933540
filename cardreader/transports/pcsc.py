"""PC/SC through pyscard, in the few lines a transport needs."""

from __future__ import annotations

from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.pcsc.PCSCExceptions import EstablishContextException, ListReadersException
from smartcard.System import readers

from ..errors import NoCard, ReaderUnavailable


def reader_names() -> list[str]:
    try:
        return [str(r) for r in readers()]
    except (EstablishContextException, ListReadersException) as exc:
        raise ReaderUnavailable(f"pcscd is not running or not reachable ({type(exc).__name__})") from None


class PcscCard:
    """CardConnection to the card in one reader; NoCard when the slot is empty."""

    def __init__(self, reader_name: str):
        match = [r for r in readers() if str(r) == reader_name]
        if not match:
            raise ReaderUnavailable(f"no PC/SC reader named {reader_name!r}")
        self._connection = match[0].createConnection()
        try:
            self._connection.connect()
        except NoCardException:
            raise NoCard(0x6A82, "no card in the reader") from None
        except CardConnectionException as exc:
            raise ReaderUnavailable(f"{reader_name}: {exc}") from None

    def present(self) -> bool:
        """Still in the slot, without disturbing it (SCardStatus on the open connection)."""
        try:
            self._connection.getATR()
            return True
        except CardConnectionException:
            return False

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        try:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except CardConnectionException as exc:
            raise NoCard(0x6F00, f"the card went away ({exc})") from None
        return bytes(data), sw1, sw2

    def close(self) -> None:
        try:
            self._connection.disconnect()
        except CardConnectionException:
            pass
