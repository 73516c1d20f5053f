"""Conversations as trees: reply versions and edit branches, and the path the user sees.

Every message names its parent (``parent_id``; None for the first message of a branch at the
top). Messages with the same parent are versions of one another: regenerating adds a reply
beside the old one, editing a question adds a question beside it. Among siblings the one with
the highest ``chosen`` (then the highest id) is shown, and following those choices from the
top gives the active path: what the window shows, what the next request carries, what the
context policies and Markdown export read.

A message deleted on its own (``deleted_at`` set) is skipped: its children hang from its
parent until it is restored or purged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Node(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def chosen(self) -> int: ...
    @property
    def deleted_at(self) -> float | None: ...


@dataclass(frozen=True)
class Tree:
    """Living messages by id and, per parent (None for the top), children oldest first."""

    parents: dict[int, int | None]
    children: dict[int | None, list[int]]
    keys: dict[int, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, nodes: Iterable[Node]) -> Tree:
        nodes = list(nodes)
        raw = {n.id: n.parent_id for n in nodes}
        deleted = {n.id for n in nodes if n.deleted_at is not None}

        def living_parent(pid: int | None) -> int | None:
            seen = 0
            while pid is not None and (pid in deleted or pid not in raw) and seen <= len(raw):
                pid = raw.get(pid)
                seen += 1
            return pid

        parents: dict[int, int | None] = {}
        children: dict[int | None, list[int]] = {}
        keys: dict[int, tuple[int, int]] = {}
        for node in sorted(nodes, key=lambda n: n.id):
            if node.id in deleted:
                continue
            parent = living_parent(node.parent_id)
            if parent is not None and parent >= node.id:
                parent = None
            parents[node.id] = parent
            children.setdefault(parent, []).append(node.id)
            keys[node.id] = (node.chosen, node.id)
        return cls(parents, children, keys)

    def pick(self, parent: int | None) -> int | None:
        below = self.children.get(parent)
        if not below:
            return None
        return max(below, key=self.keys.__getitem__)

    def path(self) -> list[int]:
        out: list[int] = []
        current = self.pick(None)
        while current is not None:
            out.append(current)
            current = self.pick(current)
        return out

    def siblings(self, mid: int) -> list[int]:
        """``mid`` and its other versions, oldest first."""
        if mid not in self.parents:
            return []
        return list(self.children.get(self.parents[mid], []))

    def ancestors(self, mid: int) -> list[int]:
        """From the top down to ``mid`` itself."""
        out = []
        current: int | None = mid
        while current is not None and current in self.parents:
            out.append(current)
            current = self.parents[current]
        return out[::-1]

    def subtree(self, mid: int) -> list[int]:
        out, stack = [], [mid]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self.children.get(current, ()))
        return sorted(out)


@dataclass(frozen=True)
class Versions:
    """Where a message stands among its versions: ``index`` counts from 1."""

    ids: tuple[int, ...]
    index: int

    @property
    def count(self) -> int:
        return len(self.ids)

    def neighbour(self, step: int) -> int | None:
        position = self.index - 1 + step
        return self.ids[position] if 0 <= position < len(self.ids) else None


def versions_on_path(tree: Tree, path: Sequence[int]) -> dict[int, Versions]:
    """For each message on the path that has other versions, its place among them."""
    found = {}
    for mid in path:
        siblings = tree.siblings(mid)
        if len(siblings) > 1:
            found[mid] = Versions(tuple(siblings), siblings.index(mid) + 1)
    return found


def visible_path(rows: Sequence[tuple[int, int | None, int, object]]) -> tuple[list[int], dict[int, Versions]]:
    """``Tree.of(rows).path()`` and its ``versions_on_path``, for ``(id, parent_id, chosen,
    deleted)`` rows sorted by id (``deleted`` true for a deleted message: its time, or 1), at a
    fraction of the cost: most messages have one child, so per-message work is left to dict and
    Counter built-ins and only forks are looked at closely."""
    raw = {row[0]: row[1] for row in rows}
    deleted = {row[0] for row in rows if row[3]}

    def living_parent(mid: int, pid: int | None) -> int | None:
        seen = 0
        while pid is not None and (pid in deleted or pid not in raw) and seen <= len(raw):
            pid = raw.get(pid)
            seen += 1
        return None if pid is not None and pid >= mid else pid

    living = [row for row in rows if not row[3]] if deleted else rows
    ids = [row[0] for row in living]
    parents = [row[1] if row[1] is None or (row[1] in raw and row[1] < row[0] and row[1] not in deleted)
               else living_parent(row[0], row[1]) for row in living]
    only_child = dict(zip(parents, ids))
    forks = {parent for parent, count in Counter(parents).items() if count > 1}
    children: dict[int | None, list[tuple[int, int]]] = {parent: [] for parent in forks}
    for row, parent in zip(living, parents):
        if parent in forks:
            children[parent].append((row[2], row[0]))
    path: list[int] = []
    versions: dict[int, Versions] = {}
    parent: int | None = None
    while True:
        if parent in forks:
            below = children[parent]
            current = max(below)[1]
            siblings = tuple(mid for _, mid in below)
            versions[current] = Versions(siblings, siblings.index(current) + 1)
        else:
            current = only_child.get(parent)
            if current is None:
                return path, versions
        path.append(current)
        parent = current
