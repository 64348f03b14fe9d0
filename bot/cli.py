"""`berlin-directory`: migrate, validate, load and export the directory.

    berlin-directory migrate            create/upgrade the schema (Alembic)
    berlin-directory validate [DIR]     check the catalog, write nothing
    berlin-directory load [DIR]         migrate, validate and upsert the catalog by id
    berlin-directory export OUT_DIR     write the database back as catalog files
    berlin-directory stats              counts for reports
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.settings import get_settings


def _print(msg: str) -> None:
    print(msg, flush=True)


def cmd_migrate(args) -> int:
    from bot.db import migrate

    migrate(args.database_url)
    _print("database schema is up to date")
    return 0


def cmd_validate(args) -> int:
    from bot.catalog import read_catalog

    cat = read_catalog(args.catalog_dir)
    _print(f"catalog {args.catalog_dir} is valid: {len(cat.topics)} topics, {len(cat.districts)} districts, "
           f"{len(cat.services)} offices/services")
    return 0


def cmd_load(args) -> int:
    from bot.catalog import load_catalog, read_catalog
    from bot.db import migrate, session_scope

    _print(f"[1/3] migrating {_redact(args.database_url)}")
    migrate(args.database_url)
    _print(f"[2/3] validating {args.catalog_dir}")
    cat = read_catalog(args.catalog_dir)
    _print(f"[3/3] loading {len(cat.topics)} topics, {len(cat.districts)} districts, {len(cat.services)} entries")
    with session_scope(args.database_url) as session:
        report = load_catalog(session, cat, prune=args.prune)
    _print(f"directory loaded: {report.summary()}")
    return 0


def cmd_export(args) -> int:
    from bot.catalog import export_catalog
    from bot.db import session_scope

    with session_scope(args.database_url) as session:
        files = export_catalog(session, Path(args.out_dir))
    _print(f"exported {len(files)} files to {args.out_dir}; review with: diff -ru {args.catalog_dir} {args.out_dir}")
    return 0


def cmd_stats(args) -> int:
    from bot.repository import DirectoryRepository

    s = DirectoryRepository(args.database_url).stats()
    _print(f"entries: {s.total} ({', '.join(f'{k}: {v}' for k, v in sorted(s.services_by_kind.items()))})")
    _print(f"districts: {s.districts} with {s.ortsteile} Ortsteile; topics: {s.topics}")
    _print(f"without phone: {s.without_phone}; possibly outdated: {s.possibly_outdated}")
    return 0


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="berlin-directory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=settings.database_url, help="default: $DATABASE_URL or var/ SQLite")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate").set_defaults(func=cmd_migrate)
    for name, func in (("validate", cmd_validate), ("load", cmd_load)):
        p = sub.add_parser(name)
        p.add_argument("catalog_dir", nargs="?", type=Path, default=settings.catalog_dir)
        if name == "load":
            p.add_argument("--prune", action="store_true", help="delete database entries missing from the catalog")
        p.set_defaults(func=func)
    p = sub.add_parser("export")
    p.add_argument("out_dir")
    p.set_defaults(func=cmd_export, catalog_dir=settings.catalog_dir)
    sub.add_parser("stats").set_defaults(func=cmd_stats)
    args = parser.parse_args(argv)
    from bot.catalog import CatalogError

    try:
        return args.func(args)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written to the database", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
