"""Fixtures of the dedup/state suite: a stand-in crawler for unit tests, articles, and syndicated texts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler import settings as project_settings
from crawler.extensions.state import StateExtension
from crawler.items import Article
from crawler.state import RunLock

# A news body of realistic length (about 250 words) and a syndicated copy of it: another portal's reporter
# line, a leaked caption and a different footer, as the network's copies look after normalisation.
STORY = (
    "Pemerintah Kabupaten Bangka menetapkan status tanggap darurat banjir setelah hujan deras mengguyur "
    "wilayah itu selama tiga hari berturut-turut sejak Jumat malam.\n\n"
    "Bupati Bangka mengatakan sedikitnya 1.200 rumah warga di empat kecamatan terendam air dengan ketinggian "
    "antara 50 sentimeter hingga satu meter, sementara ratusan warga terpaksa mengungsi ke balai desa.\n\n"
    "Menurut dia, status tanggap darurat diberlakukan selama 14 hari ke depan agar penanganan korban dapat "
    "dilakukan lebih cepat, termasuk penyaluran bantuan logistik dan layanan kesehatan.\n\n"
    "Badan Penanggulangan Bencana Daerah setempat telah mendirikan dapur umum di tiga titik pengungsian dan "
    "mengerahkan perahu karet untuk mengevakuasi warga lanjut usia serta anak-anak.\n\n"
    "Kepala pelaksana BPBD menyebutkan curah hujan yang tinggi membuat sungai utama meluap dan tanggul di "
    "dua desa jebol pada Sabtu dini hari sehingga air masuk ke permukiman dengan cepat.\n\n"
    "Ia mengimbau warga yang tinggal di bantaran sungai untuk tetap waspada karena prakiraan cuaca "
    "menunjukkan hujan dengan intensitas sedang hingga lebat masih akan terjadi hingga akhir pekan.\n\n"
    "Sementara itu, sejumlah ruas jalan penghubung antarkecamatan tidak dapat dilalui kendaraan roda dua "
    "sehingga aktivitas ekonomi warga lumpuh dan sekolah-sekolah diliburkan sementara waktu.\n\n"
    "Pemerintah provinsi berjanji mengirimkan tambahan bantuan berupa beras, air bersih, selimut dan obat-obatan "
    "dalam dua hari ke depan, serta menyiapkan anggaran perbaikan tanggul yang rusak."
)
COPY = (
    "Laporan Wartawan TribunJatim.com, Ahmad Fauzi\n\n"
    + STORY.replace("sedikitnya 1.200 rumah", "sedikitnya 1.200 unit rumah")
    + "\n\nFoto: Warga mengungsi menggunakan perahu karet (Bangka Pos/Dok)"
    + "\n\nIkuti berita terbaru TribunJatim.com di Google News."
)
OTHER = (
    "Harga cabai rawit di sejumlah pasar tradisional di Kota Surabaya melonjak tajam menjelang akhir tahun "
    "karena pasokan dari daerah sentra produksi berkurang akibat cuaca buruk.\n\n"
    "Seorang pedagang di Pasar Wonokromo mengatakan harga cabai rawit kini mencapai Rp 90.000 per kilogram, "
    "naik hampir dua kali lipat dibandingkan bulan lalu yang masih Rp 50.000 per kilogram.\n\n"
    "Dinas Perdagangan setempat berencana menggelar operasi pasar untuk menstabilkan harga dan memastikan "
    "ketersediaan bahan pokok bagi masyarakat menjelang Natal dan tahun baru."
)


def fingerprint(body: str) -> str:
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def make_article(url: str, body: str = STORY, *, fp: str | None = None, published: str = "2025-01-10T09:00:00+07:00",
                 modified: str | None = None, is_update: bool = False) -> Article:
    return Article(url=url, portal="bangka", site_name="Bangka Pos", title="Judul", body=body,
                   published_at=published, modified_at=modified, crawled_at="2025-01-10T03:00:00+00:00",
                   fingerprint=fingerprint(body) if fp is None else fp, is_update=is_update)


class FakeCrawler(SimpleNamespace):
    """What our components use of a Crawler: settings, stats, spider, get_extension, signals."""

    def get_extension(self, cls: type) -> Any:
        return self.extensions.get(cls)


@pytest.fixture
def make_crawler(tmp_path: Path) -> Iterator[Any]:
    made: list[StateExtension] = []

    def build(fresh: bool = False, updates: bool = False, **settings: Any) -> FakeCrawler:
        values = Settings()
        values.setmodule(project_settings)
        values.setdict({"TRIBUN_OUTPUT_DIR": str(tmp_path / "out"), **settings})
        crawler = FakeCrawler(settings=values, extensions={}, signals=SimpleNamespace(connect=lambda *a, **k: None))
        crawler.stats = MemoryStatsCollector(crawler)
        crawler.spider = SimpleNamespace(name="tribun", fresh=fresh, updates=updates, crawler=crawler)
        ext = StateExtension(crawler)
        crawler.extensions[StateExtension] = ext
        made.append(ext)
        return crawler

    yield build
    for ext in made:
        ext._close_store()
    for lock in list(RunLock._held.values()):
        lock.release()
