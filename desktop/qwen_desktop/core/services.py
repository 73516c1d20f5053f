"""Everything that talks to the outside, built in one place and handed down."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .attachments import AttachmentStore
from .backup import apply_pending_restore, clean_leftovers
from .catalog import Catalog
from .client import ChatClient
from .config import AppConfig, load_config, save_config
from .context import ContextManager
from .engine import ChatEngine
from .knowledge.catalog_file import INSTALLED_NAME
from .knowledge.facts import ModelFacts
from .knowledge.listing import ModelLists
from .knowledge.tables import ModelTables
from .paths import config_path, database_path, resolve_data_dir
from .regions import Region, RegionRegistry
from .secrets import KeyStore
from .storage import Store
from .storage.recovery import mark_clean_shutdown, open_store_safely
from .tools import McpHub, McpSecrets, McpServerSpec, ToolBox, specs_from_config


def region_overrides_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """``QWEN_DESKTOP_REGION_URLS="intl=http://127.0.0.1:8765/r/intl,cn=…"`` points regions elsewhere."""
    raw = env.get("QWEN_DESKTOP_REGION_URLS", "")
    pairs = (item.split("=", 1) for item in raw.split(",") if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs if key.strip() and value.strip()}


@dataclass
class Services:
    data_dir: Path
    config: AppConfig
    regions: RegionRegistry
    keys: KeyStore
    catalog: Catalog
    store: Store
    client: ChatClient
    engine: ChatEngine
    tools: ToolBox
    notice: str | None = None
    model_lists: ModelLists | None = None
    """The lists of models each region serves (cached in the database)."""
    """Something the user must hear about at start (a damaged database moved aside)."""

    def save_config(self) -> None:
        self.config.custom_regions = [
            {"id": r.id, "name": r.name, "base_url": r.base_url}
            for r in self.regions.all() if not r.builtin
        ]
        save_config(config_path(self.data_dir), self.config)

    def close_store(self) -> None:
        """Close the database and record the clean shutdown (the next start skips the full check)."""
        self.store.close()
        mark_clean_shutdown(self.store.path)

    async def aclose(self) -> None:
        await self.tools.aclose()
        await self.client.aclose()
        self.close_store()


def build_services(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    region_overrides: Mapping[str, str] | None = None,
    env: Mapping[str, str] = os.environ,
    keys: KeyStore | None = None,
    client: ChatClient | None = None,
) -> Services:
    root = resolve_data_dir(data_dir, env=env)
    clean_leftovers(root)
    restored = apply_pending_restore(root)
    config = load_config(config_path(root))
    custom = [
        Region(id=r["id"], name=r.get("name") or r["id"], base_url=r["base_url"], builtin=False,
               key_page=None, counterpart=None)
        for r in config.custom_regions
    ]
    regions = RegionRegistry(custom, overrides=dict(region_overrides or {}))
    keys = keys or KeyStore(env=env)
    catalog = Catalog.load(root / INSTALLED_NAME)
    store, notice = open_store_safely(database_path(root))
    notice = " ".join(part for part in (restored, notice) if part) or None
    store.recover_interrupted().result()
    tables = ModelTables(store)
    catalog.facts = ModelFacts(tables)
    client = client or ChatClient(
        read_timeout=float(config.read_timeout_s), idle_timeout=float(config.idle_timeout_s),
        total_timeout=float(config.total_timeout_s),
    )
    context = ContextManager(store, client, catalog, lambda region_id: engine.endpoint(region_id))
    tools = ToolBox(hub=McpHub(specs_from_config(config.extra), _mcp_env(McpSecrets())))
    engine = ChatEngine(
        store, client, regions, keys, catalog, context=context, attachments=AttachmentStore(root),
        tools=tools,
    )
    if client.key_hint is None:
        client.key_hint = engine.key_hint
    lists = ModelLists(tables, engine.endpoint)
    return Services(root, config, regions, keys, catalog, store, client, engine, tools, notice, lists)


def _mcp_env(secrets: McpSecrets) -> Callable[[McpServerSpec], dict[str, str]]:
    def env_for(spec: McpServerSpec) -> dict[str, str]:
        return secrets.env(spec.name) if spec.env_names else {}

    return env_for
