"""The fault benchmark's own TCP proxy between devices and the hub: it passes traffic through, or
refuses connections (the port closed), or holds them without a byte (a hung network), or cuts each
response halfway — switched at will while devices are talking through it."""

from __future__ import annotations

import asyncio
import threading

PASS, REFUSE, HANG, CUT = "pass", "refuse", "hang", "cut"


class FaultProxy:
    def __init__(self, upstream_port: int, host: str = "127.0.0.1") -> None:
        self.upstream = (host, upstream_port)
        self.host = host
        self.mode = PASS
        self.port = 0
        self.cut_responses = 0
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name="fault-proxy")
        self._thread.start()
        self._call(self._listen())

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def set_mode(self, mode: str) -> None:
        """Switches the fault; connections held or cut by the previous one are dropped (as a
        network that comes back drops what it was holding)."""
        self._call(self._switch(mode))

    def close(self) -> None:
        self._call(self._switch(REFUSE))
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._client, self.host, self.port or 0, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _switch(self, mode: str) -> None:
        previous, self.mode = self.mode, mode
        if mode == REFUSE and self._server is not None:
            self._server.close()  # nobody listens: connections are refused by the kernel
            await self._server.wait_closed()
            self._server = None
        if previous in (HANG, CUT, REFUSE) or mode != PASS:
            for writer in list(self._open):
                writer.transport.abort()
            self._open.clear()
        if mode != REFUSE and self._server is None:
            await self._listen()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            if self.mode == HANG:
                await reader.read()  # hold it, say nothing, until the client or a switch ends it
                return
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
            self._open.add(up_writer)
            try:
                await asyncio.gather(self._pipe(reader, up_writer, False), self._pipe(up_reader, writer, True))
            finally:
                up_writer.transport.abort()
                self._open.discard(up_writer)
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()
            self._open.discard(writer)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, response: bool) -> None:
        while True:
            data = await reader.read(65536)
            if not data:
                writer.transport.abort() if response else writer.close()
                return
            if response and self.mode == CUT:
                writer.write(data[: max(1, len(data) // 2)])  # half of what the hub answered, then nothing
                await writer.drain()
                self.cut_responses += 1
                writer.transport.abort()
                return
            writer.write(data)
            await writer.drain()
