"""Check an API key against a region with the smallest possible request.

Singapore and Beijing keys are not interchangeable, and pasting one into the other is the most
common first-run mistake, so a rejected key is tried once against the region's counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass

from qwen_desktop.core import errors as e
from qwen_desktop.core.client import ChatClient
from qwen_desktop.core.regions import Region, RegionRegistry
from qwen_desktop.core.secrets import normalize_key
from qwen_desktop.core.types import ChatRequest, Endpoint, Protocol, Role, WireMessage

PROBE_MODELS = ("qwen-flash", "qwen-turbo")


@dataclass(frozen=True)
class KeyTestResult:
    ok: bool
    sentence: str
    detected_region: str | None = None
    rejected: bool = False
    """The service refused the key (for this region): saving it would only fail later."""
    kind: str = ""
    """The error's kind when the test failed for another reason (``network``, ``timeout``…)."""


def short_name(region: Region) -> str:
    """``China (Beijing)`` → ``Beijing``; names without a parenthesis stay as they are."""
    name = region.name
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1].strip() or name
    return name


async def probe(client: ChatClient, region: Region, key: str) -> None:
    """One token from the cheapest model; raises the client's QwenError when the call fails."""
    endpoint = Endpoint(region.id, region.base_url, key)
    for model in PROBE_MODELS:
        request = ChatRequest(
            endpoint=endpoint,
            protocol=Protocol.OPENAI,
            model=model,
            messages=(WireMessage(Role.USER, "Hi"),),
            enable_thinking=False,
            max_tokens=1,
        )
        try:
            async for _event in client.stream(request):
                pass
        except e.ModelNotFoundError:
            if model == PROBE_MODELS[-1]:
                raise
            continue
        return


async def test_key(client: ChatClient, regions: RegionRegistry, region_id: str, key: str) -> KeyTestResult:
    """Whether ``key`` works for ``region_id``, as one sentence that never contains the key."""
    try:
        region = regions.get(region_id)
        key = normalize_key(key)
        await probe(client, region, key)
    except e.InvalidKeyError:
        return await _rejected(client, regions, region, key)
    except e.QwenError as error:
        return KeyTestResult(False, error.describe(), kind=error.kind)
    return KeyTestResult(True, f"The key works for {region.name}.")


test_key.__test__ = False  # type: ignore[attr-defined]


async def _rejected(client: ChatClient, regions: RegionRegistry, region: Region, key: str) -> KeyTestResult:
    rejected = KeyTestResult(False, f"The key was rejected by {region.name}.", rejected=True)
    if not region.counterpart or region.counterpart not in regions:
        return rejected
    other = regions.get(region.counterpart)
    try:
        await probe(client, other, key)
    except e.QwenError:
        return rejected
    return KeyTestResult(
        False,
        f"This key belongs to {other.name}, not {region.name}: "
        f"{short_name(region)} and {short_name(other)} keys differ.",
        detected_region=other.id,
        rejected=True,
    )
