"""Station input and output."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from hub.fields import Address, District, Input, Latitude, Longitude, Phone

from .models import StationKind


class StationIn(Input):
    name: str = Field(min_length=2, max_length=60)
    kind: StationKind = StationKind.STATION
    district: District
    address: Address
    lat: Latitude
    lon: Longitude
    phone: Phone | None = None


class StationOut(StationIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
