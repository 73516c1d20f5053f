"""Services built against the loopback simulator, shared by the engine tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qwen_desktop.core.services import Services, build_services
from tests.simulator import Simulator


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def services(sim: Simulator, data_dir: Path, memory_keyring: Any) -> Iterator[Services]:
    sim.reset()
    built = build_services(
        data_dir, region_overrides={r: sim.base_url(r) for r in sim.regions}, env={}
    )
    for region, key in sim.regions.items():
        built.keys.set(region, key)
    yield built
    asyncio.run(built.client.aclose())
    built.store.close()
