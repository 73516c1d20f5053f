"""``qwen-desktop``: with no command it opens the window; the commands serve terminal users."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import sync_cli
from .core import errors as e
from .core.engine import (
    BUSY_ELSEWHERE, CHAIN_LOST_NOTICE, BusyError, ModelNotice, ReplyFailed, ReplyFinished, TitleChanged,
    UserMessageAdded,
)
from .core.images import check_count, prepare_image
from .core.logs import setup_logging
from .core.regions import normalize_base_url
from .core.responses import SERVER_TOOLS, with_server_tool
from .core.services import Services, build_services, region_overrides_from_env
from .core.tools import ToolCallFinished
from .core.generation import GenerationParams
from .core.types import ContentDelta, Protocol, ReasoningDelta, SearchMode, Source, ThinkingMode
from .core.websearch import compatible_note, strategies_for
from .startup import data_dir_problem, log_level, trust_system_certificates, wants_window

EXIT_OK, EXIT_USAGE, EXIT_AUTH, EXIT_API, EXIT_NETWORK = 0, 2, 3, 4, 5


def exit_code(error: BaseException) -> int:
    if isinstance(error, (e.InvalidKeyError, e.MissingKeyError, e.KeyShapeError,
                          e.KeyringUnavailableError)):
        return EXIT_AUTH
    if isinstance(error, e.NetworkError):
        return EXIT_NETWORK
    if isinstance(error, e.ApiError):
        return EXIT_API
    return EXIT_USAGE


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qwen-desktop", description="Chat with Qwen models.")
    p.add_argument("--data-dir", help="where conversations and settings live")
    sub = p.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="ask a question, streaming the answer to stdout")
    ask.add_argument("prompt", nargs="?")
    ask.add_argument("--region")
    ask.add_argument("--model")
    ask.add_argument("--protocol", choices=[p.value for p in Protocol])
    ask.add_argument("--thinking", help="off, on, or a thinking budget in tokens")
    ask.add_argument("--conversation", help="'last' or a conversation id to continue")
    ask.add_argument("--system", help="system prompt for a new conversation")
    ask.add_argument("--assistant", metavar="NAME",
                     help="start the new conversation from this assistant (see 'assistants list'); "
                          "the other options given still apply over it")
    ask.add_argument("--image", action="append", default=[], metavar="PATH",
                     help="attach an image (repeat for several)")
    generation = ask.add_argument_group("generation parameters (unset: the model's default, not sent)")
    generation.add_argument("--temperature", type=float, metavar="T", help="randomness, 0 up to 2")
    generation.add_argument("--top-p", type=float, metavar="P", help="nucleus sampling, above 0 up to 1")
    generation.add_argument("--top-k", type=int, metavar="K", help="sample from the K likeliest tokens")
    generation.add_argument("--max-tokens", type=int, metavar="N", help="longest reply, in tokens")
    generation.add_argument("--seed", type=int, metavar="N", help="repeatable sampling, 0 to 2147483647")
    generation.add_argument("--presence-penalty", type=float, metavar="X", help="-2 to 2: above 0 favours new topics")
    generation.add_argument("--repetition-penalty", type=float, metavar="X", help="above 0; 1.0 is none")
    generation.add_argument("--stop", action="append", default=[], metavar="TEXT",
                            help="stop the reply at this text (repeatable)")
    generation.add_argument("--json", action="store_true", help="JSON mode (thinking must be off)")
    ask.add_argument("--file", action="append", default=[], metavar="PATH",
                     help="attach a document: PDF, Word, Excel, PowerPoint, CSV, text or code (repeatable)")
    ask.add_argument("--search", nargs="?", const=SearchMode.AUTO.value, metavar="auto|always|off",
                     help="let the model search the web (auto: when it decides; always: every "
                          "time); sources follow the answer")
    ask.add_argument("--server-tool", action="append", default=[], choices=SERVER_TOOLS,
                     help="with --protocol responses: let the service use this tool of its own "
                          "(repeat for several)")
    ask.add_argument("--search-strategy", metavar="NAME",
                     help="turbo, max, agent or agent_max, where the region offers it")

    assistants = sub.add_parser("assistants", help="list, export or import assistants (saved presets)")
    assistants_sub = assistants.add_subparsers(dest="action")
    assistants_sub.add_parser("list", help="the assistants, the default marked with *")
    assistants_export = assistants_sub.add_parser("export", help="write every assistant to a JSON file")
    assistants_export.add_argument("file")
    assistants_import = assistants_sub.add_parser("import", help="add the assistants of a JSON file")
    assistants_import.add_argument("file")
    prompts = sub.add_parser("prompts", help="list, export or import saved prompts (/ in the message box)")
    prompts_sub = prompts.add_subparsers(dest="action")
    prompts_sub.add_parser("list", help="the saved prompts and their variables")
    prompts_export = prompts_sub.add_parser("export", help="write every saved prompt to a JSON file")
    prompts_export.add_argument("file")
    prompts_import = prompts_sub.add_parser("import", help="add the prompts of a JSON file")
    prompts_import.add_argument("file")

    keys = sub.add_parser("keys", help="API keys in the system keyring")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    keys_set = keys_sub.add_parser("set", help="store a key (read from stdin or a hidden prompt)")
    keys_set.add_argument("region")
    keys_sub.add_parser("list", help="regions with a key (masked)")
    keys_delete = keys_sub.add_parser("delete", help="remove a region's key")
    keys_delete.add_argument("region")

    regions = sub.add_parser("regions", help="list, add or remove regions")
    regions_sub = regions.add_subparsers(dest="action")
    add = regions_sub.add_parser("add", help="add a custom region (gateway or proxy)")
    add.add_argument("id")
    add.add_argument("base_url")
    add.add_argument("--name")
    remove = regions_sub.add_parser("remove", help="remove a custom region")
    remove.add_argument("id")

    models = sub.add_parser("models", help="the model catalog, or the list a region serves")
    models.add_argument("--refresh", action="store_true",
                        help="fetch the list of models the region serves and print it merged with the catalog")
    models.add_argument("--region", help="the region to list (default: the default conversation's)")
    models.add_argument("--update", metavar="FILE", help="check and install a newer catalog file")

    export = sub.add_parser("export", help="export conversations to Markdown or JSON")
    export.add_argument("output")
    export.add_argument("--format", choices=["md", "json"],
                        help="md to read, json to import again (default: from the file name)")
    export.add_argument("--conversation", default="all", help="a conversation id, or 'all'")
    export.add_argument("--reasoning", action="store_true", help="include the thinking (Markdown)")
    export.add_argument("--versions", action="store_true",
                        help="include the other versions of replies and edited questions (Markdown)")
    imported = sub.add_parser("import", help="import conversations from a JSON export")
    imported.add_argument("file")
    backup = sub.add_parser("backup", help="back up conversations, images and settings (never keys)")
    backup.add_argument("directory")
    restore = sub.add_parser("restore", help="restore a backup zip (the current data is moved aside, not deleted)")
    restore.add_argument("zip")
    sync = sync_cli.add_parser(sub)
    for sp in (ask, assistants, prompts, keys, regions, models, export, imported, backup, restore, sync):
        sp.add_argument("--data-dir", help=argparse.SUPPRESS, default=argparse.SUPPRESS)
    return p


def parse_thinking(value: str | None) -> tuple[ThinkingMode | None, int | None]:
    if value is None:
        return None, None
    lowered = value.strip().lower()
    if lowered in ("off", "on"):
        return ThinkingMode(lowered), None
    if lowered.isdigit() and int(lowered) > 0:
        return ThinkingMode.BUDGET, int(lowered)
    raise e.ConfigError("--thinking takes off, on, or a positive number of tokens.")


def fix_search_args(args: argparse.Namespace) -> None:
    """``ask --search "question"``: a value that is no mode is the question, searched in auto mode."""
    if args.command != "ask":
        return
    modes = {m.value for m in SearchMode}
    if args.search is not None and args.search not in modes:
        if args.prompt is not None:
            raise e.ConfigError("--search takes auto, always or off.")
        args.prompt, args.search = args.search, SearchMode.AUTO.value
    if args.prompt is None:
        raise e.ConfigError("Give the question to ask.")


def print_sources(sources: Sequence[Source], out: TextIO) -> None:
    """A blank line, then ``[n] title <url>`` per source (titles are already plain text)."""
    if not sources:
        return
    out.write("\n")
    for source in sources:
        link = f" <{source.url}>" if source.url else ""
        out.write(f"[{source.number}] {source.title}{link}\n")
    out.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if wants_window(args_list):
        from .app import open_window

        return open_window(args_list)
    try:
        args = parser().parse_args(args_list)
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    try:
        fix_search_args(args)
    except e.QwenError as error:
        print(f"qwen-desktop: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "restore":
        return restore_command(args, sys.stdout, sys.stderr)
    try:
        services = build_services(
            args.data_dir, region_overrides=region_overrides_from_env(os.environ)
        )
        setup_logging(services.data_dir, log_level(os.environ))
    except e.QwenError as error:
        print(f"qwen-desktop: {error}", file=sys.stderr)
        return exit_code(error)
    except OSError as error:
        print(f"qwen-desktop: {data_dir_problem(error)}", file=sys.stderr)
        return EXIT_USAGE
    if services.notice:
        print(f"qwen-desktop: {services.notice}", file=sys.stderr)
    certificates = trust_system_certificates(os.environ)
    if certificates:
        print(f"qwen-desktop: {certificates}", file=sys.stderr)
    try:
        return run_command(services, args, sys.stdin, sys.stdout, sys.stderr)
    except e.QwenError as error:
        print(f"qwen-desktop: {error}", file=sys.stderr)
        return exit_code(error)
    finally:
        services.close_store()


def restore_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Runs without opening the database: the files are replaced underneath."""
    from .core.backup import restore_backup
    from .core.paths import resolve_data_dir

    try:
        data_dir = resolve_data_dir(args.data_dir)
        result = restore_backup(Path(args.zip).expanduser(), data_dir)
    except e.QwenError as error:
        print(f"qwen-desktop: {error}", file=err)
        return exit_code(error)
    except OSError as error:
        print(f"qwen-desktop: {data_dir_problem(error)}", file=err)
        return EXIT_USAGE
    aside = f" The previous data was kept as {', '.join(result.moved_aside)}." if result.moved_aside else ""
    print(f"Restored {result.conversations} conversation(s) and {result.images} image(s).{aside}", file=out)
    return EXIT_OK


def run_command(
    services: Services, args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO
) -> int:
    if args.command == "ask":
        return asyncio.run(ask(services, args, stdout, stderr))
    if args.command == "assistants":
        return assistants_command(services, args, stdout)
    if args.command == "prompts":
        return prompts_command(services, args, stdout)
    if args.command == "keys":
        return keys_command(services, args, stdin, stdout, stderr)
    if args.command == "regions":
        return regions_command(services, args, stdout, stderr)
    if args.command in ("export", "import", "backup"):
        return archive_command(services, args, stdout)
    if args.command == "sync":
        return sync_cli.sync_command(services, args, stdin, stdout, stderr)
    if args.update:
        return update_catalog(services, Path(args.update).expanduser(), stdout, stderr)
    if args.refresh:
        return asyncio.run(refresh_models(services, args.region, stdout, stderr))
    return models_command(services, stdout)


async def ask(services: Services, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        images = attach_images(services, args.image, err) + attach_documents(services, args.file, err)
        cid = conversation_for(services, args)
        code = EXIT_OK
        source = services.keys.get(services.store.conversation(cid).settings.region_id)
        if source and source[1] == "environment":
            print("qwen-desktop: using DASHSCOPE_API_KEY from the environment "
                  "(no key stored for this region)", file=err)
        settings = services.store.conversation(cid).settings
        if settings.search is not SearchMode.OFF and services.engine.search_refused(settings):
            print(f"qwen-desktop: {e.SearchNotSupportedError.sentence}", file=err)
        in_reasoning = False
        finished = None
        async for event in services.engine.send(cid, args.prompt, images):
            if isinstance(event, ReasoningDelta):
                in_reasoning = True
                err.write(event.text)
                err.flush()
            elif isinstance(event, ContentDelta):
                if in_reasoning:
                    err.write("\n")
                    in_reasoning = False
                out.write(event.text)
                out.flush()
            elif isinstance(event, ToolCallFinished):
                print_tool_call(event, err)
            elif isinstance(event, ReplyFinished):
                finished = event.message
            elif isinstance(event, ReplyFailed):
                out.write("\n" if event.message.content else "")
                print(f"qwen-desktop: {event.error}", file=err)
                if event.error.server_message:
                    print(f"  server said: {event.error.server_message}", file=err)
                if isinstance(event.error, e.ResponsesUnsupportedError):
                    print("  use --protocol openai to ask this model", file=err)
                code = exit_code(event.error)
            elif isinstance(event, ModelNotice):
                if in_reasoning:
                    err.write("\n")
                    in_reasoning = False
                print(f"qwen-desktop: {event.sentence}", file=err)
            elif isinstance(event, (UserMessageAdded, TitleChanged)):
                continue
        if code == EXIT_OK:
            out.write("\n")
        if finished is not None:
            if (finished.context or {}).get("server_history", {}).get("state") == "expired":
                print(f"qwen-desktop: {CHAIN_LOST_NOTICE}", file=err)
            print_sources(finished.sources, out)
            if (finished.meta.get("search") or {}).get("sources_unavailable"):
                print(f"qwen-desktop: {compatible_note()} Use --protocol dashscope for them.", file=err)
        return code
    finally:
        await services.client.aclose()


def print_tool_call(event: ToolCallFinished, err: TextIO) -> None:
    """A tool call on stderr: its name and arguments, then its result or error, indented."""
    print(f"[{event.call.name}] {event.call.arguments}", file=err)
    shown = event.error or event.result
    for line in shown.strip().splitlines()[:20]:
        print(f"    {line}", file=err)


def attach_images(services: Services, paths: Sequence[str], err: TextIO) -> list[dict[str, Any]]:
    """Check and store each ``--image``; what had to change on the way is reported on stderr."""
    if not paths:
        return []
    check_count(len(paths))
    store = services.engine.attachments
    if store is None:
        raise e.ConfigError("Images cannot be sent: no attachment folder is set up.")
    refs = []
    for path in paths:
        image = prepare_image(Path(path).expanduser())
        for note in image.notes:
            print(f"qwen-desktop: {image.name}: {note}", file=err)
        refs.append(store.save(image))
    return refs


def attach_documents(services: Services, paths: Sequence[str], err: TextIO) -> list[dict[str, Any]]:
    """Read and store each ``--file`` locally; a file that cannot be read stops before anything is sent."""
    if not paths:
        return []
    library = services.engine.documents
    if library is None:
        raise e.ConfigError("Documents cannot be sent: no attachment folder is set up.")
    refs = []
    for path in paths:
        ref, document = library.add(Path(path).expanduser())
        for note in document.notes:
            print(f"qwen-desktop: {document.name}: {note}", file=err)
        refs.append(ref)
    return refs


def generation_changes(current: GenerationParams, args: argparse.Namespace) -> GenerationParams | None:
    """The conversation's parameters with those given on the command line; None when none were."""
    given: dict[str, object] = {}
    for name in ("top_p", "top_k", "max_tokens", "seed", "presence_penalty", "repetition_penalty"):
        value = getattr(args, name, None)
        if value is not None:
            given[name] = value
    if getattr(args, "stop", None):
        given["stop"] = tuple(args.stop)
    if getattr(args, "json", False):
        given["json_mode"] = True
    return current.with_(**given) if given else None


def conversation_for(services: Services, args: argparse.Namespace) -> int:
    store = services.store
    if args.conversation:
        if getattr(args, "assistant", None):
            raise e.ConfigError("--assistant starts a new conversation; it cannot be used with --conversation.")
        if args.conversation == "last":
            cid = store.last_conversation_id()
            if cid is None:
                raise e.ConfigError("There is no stored conversation to continue.")
        elif args.conversation.isdigit() and store.conversation(int(args.conversation)):
            cid = int(args.conversation)
        else:
            raise e.ConfigError(f"No conversation with id {args.conversation!r}.")
        if store.busy_elsewhere(cid):
            raise BusyError(BUSY_ELSEWHERE)
        settings = store.conversation(cid).settings
    else:
        settings = services.config.default_settings()
        cid = 0
        if getattr(args, "assistant", None):
            settings = assistant_library(services).find(args.assistant).apply(settings)
    changes: dict[str, object] = {}
    if args.region:
        services.regions.get(args.region)
        changes["region_id"] = args.region
    if args.model:
        changes["model"] = args.model
    if args.protocol:
        changes["protocol"] = Protocol(args.protocol)
    mode, budget = parse_thinking(args.thinking)
    if mode is not None:
        changes["thinking"] = mode
        changes["thinking_budget"] = budget
    if getattr(args, "system", None) and not args.conversation:
        changes["system_prompt"] = args.system
    if getattr(args, "search", None):
        changes["search"] = SearchMode(args.search)
    if getattr(args, "search_strategy", None):
        region = str(changes.get("region_id") or settings.region_id)
        offered = [s.name for s in strategies_for(region)]
        if args.search_strategy not in offered:
            raise e.ConfigError(
                f"--search-strategy in this region takes one of: {', '.join(offered)}."
            )
        changes["search_strategy"] = args.search_strategy
    if getattr(args, "temperature", None) is not None:
        changes["temperature"] = args.temperature
    generation = generation_changes(settings.generation, args)
    if generation is not None:
        changes["generation"] = generation
    settings = settings.with_(**changes)
    for tool in getattr(args, "server_tool", None) or ():
        settings = with_server_tool(settings, tool, True)
        changes["server_tools"] = True
    if cid:
        if changes:
            store.update_settings(cid, settings).result()
        return cid
    return int(store.create_conversation(settings).result())


def assistant_library(services: Services) -> Any:
    """The assistants, with the starter set (in the UI language) added the first time."""
    from .core.assistants import AssistantLibrary

    library = AssistantLibrary(services.store)
    library.ensure_starters(services.config.language).result()
    return library


def assistants_command(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    library = assistant_library(services)
    if args.action == "export":
        target = Path(args.file).expanduser()
        count = library.export_json(target)
        print(f"Exported {count} assistant(s) to {target}.", file=out)
        return EXIT_OK
    if args.action == "import":
        result = library.import_json(Path(args.file).expanduser()).result()
        replaced = f", {result.replaced} replaced (same id)" if result.replaced else ""
        print(f"Imported {result.added} assistant(s){replaced}.", file=out)
        return EXIT_OK
    defaults = services.config.default_settings()
    for assistant in library.all():
        mark = "*" if assistant.is_default else " "
        model = assistant.model or f"{defaults.model} (default)"
        prompt = " ".join(assistant.system_prompt.split())
        prompt = prompt if len(prompt) <= 60 else prompt[:59] + "…"
        print(f"{mark} {assistant.name:<28} {model:<24} {prompt}".rstrip(), file=out)
    return EXIT_OK


def prompts_command(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    """Saved prompts, with the starter set (in the UI language) added the first time."""
    from .core.prompts import PromptLibrary

    library = PromptLibrary(services.store)
    library.ensure_starters(services.config.language).result()
    if args.action == "export":
        target = Path(args.file).expanduser()
        print(f"Exported {library.export_json(target)} prompt(s) to {target}.", file=out)
        return EXIT_OK
    if args.action == "import":
        result = library.import_json(Path(args.file).expanduser()).result()
        replaced = f", {result.replaced} replaced (same id)" if result.replaced else ""
        print(f"Imported {result.added} prompt(s){replaced}.", file=out)
        return EXIT_OK
    for prompt in library.all():
        variables = ", ".join(prompt.variables())
        print(f"{prompt.name:<28} {variables}".rstrip(), file=out)
    return EXIT_OK


def keys_command(
    services: Services, args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    keys, regions = services.keys, services.regions
    if args.action == "set":
        region = regions.get(args.region)
        if stdin.isatty():
            key = getpass.getpass(f"API key for {region.name}: ")
        else:
            key = stdin.read()
        keys.set(region.id, key)
        print(f"Stored the key for {region.name} in the system keyring.", file=out)
        return EXIT_OK
    if args.action == "delete":
        region = regions.get(args.region)
        keys.delete(region.id)
        print(f"Removed the key for {region.name}.", file=out)
        return EXIT_OK
    ids = [r.id for r in regions.all()]
    stored = set(keys.stored_regions(ids))
    for region in regions.all():
        found = keys.get(region.id)
        if found is None:
            continue
        key, source = found
        origin = "keyring" if region.id in stored else "environment (DASHSCOPE_API_KEY)"
        print(f"{region.id:<12} {region.name:<24} {keys.mask(key)}  [{origin}]", file=out)
    return EXIT_OK


def regions_command(
    services: Services, args: argparse.Namespace, out: TextIO, err: TextIO
) -> int:
    regions = services.regions
    if args.action == "add":
        url, warnings = normalize_base_url(args.base_url)
        for warning in warnings:
            print(f"warning: {warning}", file=err)
        regions.add_custom(args.id, args.name or args.id, url)
        services.save_config()
        print(f"Added region {args.id} ({url}).", file=out)
        return EXIT_OK
    if args.action == "remove":
        regions.remove_custom(args.id)
        services.save_config()
        print(f"Removed region {args.id}.", file=out)
        return EXIT_OK
    for region in regions.all():
        kind = "built-in" if region.builtin else "custom"
        print(f"{region.id:<12} {region.name:<24} {region.base_url}  ({kind})", file=out)
    return EXIT_OK


def update_catalog(services: Services, path: Path, out: TextIO, err: TextIO) -> int:
    from .core.catalog import Catalog, CatalogError
    from .core.knowledge.catalog_file import install

    try:
        date, count = install(path, services.data_dir, Catalog.load().date)
    except CatalogError as error:
        print(f"qwen-desktop: {error} The current catalog ({services.catalog.date}) is kept.", file=err)
        return EXIT_USAGE
    print(f"Installed the model catalog of {date} ({count} models).", file=out)
    return EXIT_OK


async def refresh_models(services: Services, region_id: str | None, out: TextIO, err: TextIO) -> int:
    """Fetch the region's list; print it merged with the catalog, one model per line, id first."""
    from datetime import datetime

    from .core.knowledge.listing import merged

    region = services.regions.get(region_id or services.config.default_settings().region_id)
    lists = services.model_lists
    assert lists is not None
    result = await lists.refresh(region.id)
    code = EXIT_OK
    if result.error:
        print(f"qwen-desktop: {result.error}", file=err)
        code = EXIT_NETWORK
    if not result.served:
        print(f"qwen-desktop: {region.name} does not list its models: showing the catalog.", file=err)
    elif result.fetched_at is not None:
        when = datetime.fromtimestamp(result.fetched_at).strftime("%Y-%m-%d %H:%M")
        print(f"qwen-desktop: {len(result.models)} models listed by {region.name} at {when}; "
              f"catalog of {services.catalog.date}; * = not in the catalog", file=err)
    for row in merged(services.catalog, lists.cached(region.id)):
        marks = []
        if not row.described:
            marks.append("* not in the catalog")
        if not row.listed and result.served and result.fetched_at is not None:
            marks.append("not listed by the region")
        print(row.name + (f"  ({'; '.join(marks)})" if marks else ""), file=out)
    return code


def models_command(services: Services, out: TextIO) -> int:
    print(f"catalog of {services.catalog.date} ({services.catalog.source})", file=out)
    print(f"{'model':<34} {'context':>10} {'max in':>10} {'max out':>8}  thinking  vision  "
          "price in/out per 1M", file=out)
    for info in services.catalog.models():
        price = "-"
        if info.price_input is not None and info.price_output is not None:
            price = f"{info.price_input:g} / {info.price_output:g} {info.currency}"
        print(f"{info.name:<34} {info.context_window:>10,} {info.max_input:>10,} "
              f"{info.max_output:>8,}  {info.thinking:<8}  {'yes' if info.vision else 'no':<6}  "
              f"{price}", file=out)
    return EXIT_OK


def archive_command(services: Services, args: argparse.Namespace, out: TextIO) -> int:
    from .core import export as x

    attachments = services.engine.attachments
    if args.command == "backup":
        path = x.backup_data(services.data_dir, services.store, Path(args.directory).expanduser())
        print(f"Backed up to {path}.", file=out)
        return EXIT_OK
    if args.command == "import":
        ids = x.import_json(services.store, attachments, Path(args.file).expanduser())
        skipped = f" ({ids.skipped} already imported before, skipped)" if ids.skipped else ""
        print(f"Imported {len(ids)} conversation(s){skipped}.", file=out)
        return EXIT_OK
    target = Path(args.output).expanduser()
    fmt = args.format or ("md" if target.suffix.lower() in (".md", ".markdown") else "json")
    which: int | None = None
    if args.conversation != "all":
        if not args.conversation.isdigit():
            raise e.ConfigError("--conversation takes a conversation id or 'all'.")
        which = int(args.conversation)
    if fmt == "md":
        result = x.export_markdown(services.store, attachments, target, which, reasoning=args.reasoning,
                                   versions=args.versions)
    else:
        result = x.export_json(services.store, attachments, target, which)
    print(f"Exported {result.conversations} conversation(s), {result.messages} message(s) "
          f"to {result.path}.", file=out)
    return EXIT_OK
