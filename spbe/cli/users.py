"""Commands on users: `spbe user add`, `list`, `set-role`, `deactivate`, `activate`, `reset-password`, `password`.

The same rules as the web's administration page (spbe.services.users), recorded in the audit trail as
done by the command line.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from spbe.cli.common import fail

if TYPE_CHECKING:
    from sqlmodel import Session

    from spbe.store.models import User

ROLES = ["admin", "koordinator", "kontributor", "peninjau"]


@contextmanager
def _database() -> Iterator[Session]:
    """A session on the configured database, committed when the command succeeds."""
    from spbe.config import get_settings
    from spbe.store.db import make_engine, session_scope

    with session_scope(make_engine(get_settings().database_url)) as db:
        yield db


def _message(refusal: Exception) -> str:
    """A service's refusal in Bahasa Indonesia."""
    from spbe.web.i18n import translate

    return translate(getattr(refusal, "key", str(refusal)), "id", **getattr(refusal, "params", {}))


def cmd_user_add(args: argparse.Namespace) -> int:
    """Create a user (password from the prompt or SPBE_NEW_PASSWORD); set their role in an instansi."""
    import getpass
    import os

    from sqlmodel import select

    from spbe.ops.demo import ensure_user, set_role
    from spbe.store.models import Instansi, Role

    password = os.environ.get("SPBE_NEW_PASSWORD") or getpass.getpass("Kata sandi: ")
    if len(password) < 8:
        return fail("kata sandi minimal 8 karakter")
    with _database() as db:
        instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
        if instansi is None:
            return fail(f"instansi {args.instansi!r} tidak ditemukan")
        user = ensure_user(db, args.username, password, full_name=args.name or "")
        if args.system_admin:
            user.is_system_admin = True
        set_role(db, user, instansi, Role(args.role))
    print(f"Pengguna {args.username!r} ({args.role}) di {args.instansi} siap.")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    """Print every user (or an instansi's members): name, role per instansi, active or not."""
    from sqlmodel import col, select

    from spbe.store.models import Instansi, Membership, User

    with _database() as db:
        query = select(User, Membership.role, Instansi.code).outerjoin(
            Membership, col(Membership.user_id) == User.id).outerjoin(
            Instansi, col(Instansi.id) == Membership.instansi_id)
        if args.instansi:
            if db.exec(select(Instansi).where(Instansi.code == args.instansi)).first() is None:
                return fail(f"instansi {args.instansi!r} tidak ditemukan")
            query = query.where(Instansi.code == args.instansi)
        rows = db.exec(query.order_by(User.username, Instansi.code)).all()
        print(f"{'nama pengguna':<24} {'instansi':<24} {'peran':<12} status")
        for user, role, code in rows:
            state = "aktif" if user.is_active else "nonaktif"
            if user.is_system_admin:
                state += ", admin sistem"
            print(f"{user.username:<24} {code or '-':<24} {role or '-':<12} {state}")
    return 0


def _find_user(db: Session, username: str) -> User | None:
    """The user with this name, or None."""
    from sqlmodel import select

    from spbe.store.models import User

    return db.exec(select(User).where(User.username == username)).first()


def cmd_user_set_role(args: argparse.Namespace) -> int:
    """Set a user's role in an instansi, and/or make them a system admin or not."""
    from sqlmodel import select

    from spbe.services import users
    from spbe.services.assessments import Refused
    from spbe.store.models import Instansi

    if (args.instansi is None) != (args.role is None) or (args.role is None and args.system_admin is None):
        return fail("sebutkan --instansi dan --role bersama, dan/atau --system-admin / --no-system-admin")
    try:
        with _database() as db:
            user = _find_user(db, args.username)
            if user is None:
                return fail(f"pengguna {args.username!r} tidak ditemukan")
            if args.role is not None:
                instansi = db.exec(select(Instansi).where(Instansi.code == args.instansi)).first()
                if instansi is None:
                    return fail(f"instansi {args.instansi!r} tidak ditemukan")
                users.set_role(db, None, instansi, user, args.role)
            if args.system_admin is not None:
                user.is_system_admin = args.system_admin
                db.add(user)
    except Refused as refusal:
        return fail(_message(refusal))
    print(f"Pengguna {args.username!r} diperbarui.")
    return 0


def _set_active(args: argparse.Namespace, active: bool) -> int:
    """Deactivate or reactivate a user in every instansi they belong to."""
    from spbe.services import users
    from spbe.services.assessments import Refused

    try:
        with _database() as db:
            user = _find_user(db, args.username)
            if user is None:
                return fail(f"pengguna {args.username!r} tidak ditemukan")
            changed = users.set_active(db, None, None, user, active)
    except Refused as refusal:
        return fail(_message(refusal))
    state = "aktif" if active else "nonaktif"
    print(f"Pengguna {args.username!r} {state}." if changed else f"Pengguna {args.username!r} sudah {state}.")
    return 0


def cmd_user_deactivate(args: argparse.Namespace) -> int:
    """Stop a user from signing in; their answers, evidence and history stay."""
    return _set_active(args, False)


def cmd_user_activate(args: argparse.Namespace) -> int:
    """Let a deactivated user sign in again."""
    return _set_active(args, True)


def cmd_user_password(args: argparse.Namespace) -> int:
    """Set a password chosen by the operator (prompt or SPBE_NEW_PASSWORD); every session of the user ends."""
    import getpass
    import os

    from spbe.services import sessions

    password = os.environ.get("SPBE_NEW_PASSWORD") or getpass.getpass("Kata sandi baru: ")
    if len(password) < 8:
        return fail("kata sandi minimal 8 karakter")
    with _database() as db:
        user = _find_user(db, args.username)
        if user is None:
            return fail(f"pengguna {args.username!r} tidak ditemukan")
        sessions.set_password(db, user, password)
    print(f"Pengguna {args.username!r} kata sandinya diganti; semua sesinya berakhir.")
    return 0


def cmd_user_reset_password(args: argparse.Namespace) -> int:
    """Give a user a new generated password and print it once."""
    from spbe.services import users
    from spbe.services.assessments import Refused

    try:
        with _database() as db:
            user = _find_user(db, args.username)
            if user is None:
                return fail(f"pengguna {args.username!r} tidak ditemukan")
            places = users.instansi_of(db, user)
            if not places:
                return fail(f"pengguna {args.username!r} bukan anggota instansi mana pun")
            password = users.reset_password(db, None, places[0], user)
    except Refused as refusal:
        return fail(_message(refusal))
    print(f"Kata sandi baru untuk {args.username!r} (ditampilkan sekali): {password}")
    return 0


COMMANDS = ("user",)  # the commands `register` adds


def register(sub: argparse._SubParsersAction) -> None:
    """Add these commands to the `spbe` parser."""
    user = sub.add_parser("user", help="kelola pengguna").add_subparsers(dest="action", required=True)
    p = user.add_parser("add", help="tambah pengguna atau ubah perannya di sebuah instansi")
    p.add_argument("username")
    p.add_argument("--instansi", required=True, help="kode instansi, mis. kota-pasuruan")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--name", help="nama lengkap")
    p.add_argument("--system-admin", action="store_true", help="juga admin sistem (menambah instansi)")
    p.set_defaults(func=cmd_user_add)

    p = user.add_parser("list", help="daftar pengguna, peran dan status")
    p.add_argument("--instansi", help="hanya anggota instansi ini")
    p.set_defaults(func=cmd_user_list)

    p = user.add_parser("set-role", help="ubah peran pengguna di instansi, atau status admin sistemnya")
    p.add_argument("username")
    p.add_argument("--instansi", help="kode instansi")
    p.add_argument("--role", choices=ROLES)
    p.add_argument("--system-admin", action=argparse.BooleanOptionalAction, default=None,
                   help="jadikan (atau berhenti sebagai) admin sistem")
    p.set_defaults(func=cmd_user_set_role)

    for name, func, text in (
        ("deactivate", cmd_user_deactivate, "nonaktifkan akun (tidak dapat masuk; riwayat tetap)"),
        ("activate", cmd_user_activate, "aktifkan kembali akun"),
        ("reset-password", cmd_user_reset_password, "buat kata sandi baru dan tampilkan sekali"),
        ("password", cmd_user_password, "tetapkan kata sandi pilihan (SPBE_NEW_PASSWORD atau ditanya)"),
    ):
        p = user.add_parser(name, help=text)
        p.add_argument("username")
        p.set_defaults(func=func)
