"""Page objects: one class per layout, one method per output field.

:class:`ArticlePage` reads what every article page may carry whatever its era: JSON-LD, ``og:``/``article:``
meta and the dataLayer. Each of its ``@field`` methods returns one :class:`~crawler.parsers.base.RawArticle`
field, structured data first and the page's visible markup as fallback; the visible markup comes from the
``visible_*`` hooks, which return nothing here. A layout subclasses the layout it grew out of and overrides only
the hooks (or fields) whose markup changed, and says in :meth:`ArticlePage.matches` which markers only it has.

:func:`entry_points` turns a class into the ``matches(sel, url)``/``parse(sel, url)`` pair a layout module
exposes to :data:`crawler.parsers.LAYOUTS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from parsel import Selector

from crawler.parsers.base import NotAnArticle, RawArticle
from crawler.parsers.document import Page, page_for
from crawler.parsers.jsonld import _jsonld_str, jsonld_free, jsonld_image, jsonld_keywords, jsonld_names
from crawler.parsers.pagination import Pagination, pagination
from crawler.parsers.text import absolute, body_paragraphs, brand_safety_paragraphs, clean, dedupe, text_of

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

# A crumb that names the site or the article, not a rubric. "News"/"Berita" is a bucket every rubric has
# (Tribunnews.com » Metropolitan » News), not a rubric.
_NOT_RUBRICS = frozenset({"home", "beranda", "halaman depan", "news", "berita"})
_SITE_SUFFIXES = (".com", ".co.id", ".id")


class memo(Generic[T]):
    """:func:`functools.cached_property` without its lock (Python 3.11 takes one on every first read): a page
    object lives in one thread, and these are read on every page."""

    def __init__(self, method: Callable[[Any], T]):
        self.method = method
        self.name = method.__name__
        self.__doc__ = method.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        # A non-data descriptor: once the value is in the instance's __dict__, reads no longer come here.
        value = obj.__dict__[self.name] = self.method(obj)
        return value


def field(method: F) -> F:
    """Marks a method as the extractor of the :class:`RawArticle` field of the same name."""
    method.__is_field__ = True  # type: ignore[attr-defined]
    return method


class ArticlePage:
    """The fields of one article page; subclasses add the visible markup of their era."""

    NAME: ClassVar[str] = "article"
    _FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._FIELDS = tuple(name for name in dir(cls) if getattr(getattr(cls, name), "__is_field__", False))

    def __init__(self, doc: Page, url: str):
        self.doc = doc
        self.fetched_url = url

    @classmethod
    def matches(cls, doc: Page, url: str) -> bool:
        """Whether ``doc`` shows markers only this layout has."""
        return False

    def to_raw(self) -> RawArticle:
        """Every field; raises :class:`NotAnArticle` when the page yields no title or no body text."""
        if not self.title():
            raise NotAnArticle(f"{self.NAME}: no title found")
        if not self.paragraphs():
            raise NotAnArticle(f"{self.NAME}: no body paragraphs found")
        return RawArticle(**{name: getattr(self, name)() for name in self._FIELDS})

    # -- visible markup: what a layout finds on the page itself (nothing here) ----------------------------------

    def visible_title(self) -> str | None:
        return text_of(self.doc.h1) or None

    def visible_lede(self) -> str | None:
        return None

    def visible_paragraphs(self) -> list[str]:
        return body_paragraphs(self.doc.body) if self.doc.body is not None else []

    def visible_published(self) -> list[tuple[str, str]]:
        return []

    def visible_modified(self) -> list[tuple[str, str]]:
        return []

    def visible_credits(self) -> list[str]:
        """Credit and source texts in page order, unclassified ("Penulis: X", "Editor: Y", "Sumber: Z")."""
        return []

    def visible_via(self) -> list[str]:
        """"via outlet" lines."""
        return []

    def visible_breadcrumb(self) -> list[str]:
        return []

    def visible_topic(self) -> str | None:
        return None

    def visible_tags(self) -> list[str]:
        return []

    def visible_image(self) -> tuple[str | None, str | None]:
        """The lead image's URL and caption."""
        return None, None

    def visible_image_credit(self) -> str | None:
        return None

    def visible_summary(self) -> list[str]:
        return []

    def visible_pagination(self) -> Pagination:
        return pagination(self.doc, self.fetched_url)

    # -- evidence read once for several fields ----------------------------------------------------------------

    @memo
    def _ld(self) -> dict[str, Any]:
        return self.doc.article_ld

    @memo
    def _paragraphs(self) -> list[str]:
        return self.visible_paragraphs() or brand_safety_paragraphs(self.doc.brand_safety())

    @memo
    def _title(self) -> str | None:
        # Each source is read only when the ones before it are empty (an ``or`` chain): the visible
        # fallbacks walk the page.
        return _jsonld_str(self._ld.get("headline")) or self.doc.meta("og:title") or self._visible_title or None

    @memo
    def _visible_title(self) -> str | None:
        # Read by the title's fallback and by the section, which must not be the title.
        return self.visible_title()

    @memo
    def _credits(self) -> tuple[list[str], list[str]]:
        credit_lines: list[str] = []
        source_lines: list[str] = []
        for text in self.visible_credits():
            text = text.strip(" |/-")  # an empty "Penulis:" part leaves a dangling separator ("| Editor: Y")
            if text:
                (source_lines if text.lower().startswith(("sumber", "via ")) else credit_lines).append(text)
        return credit_lines, source_lines

    @memo
    def _image(self) -> tuple[str | None, str | None]:
        return self.visible_image()

    @memo
    def _pages(self) -> Pagination:
        return self.visible_pagination()

    def _dates(self, ld_key: str, meta_keys: tuple[str, ...], dl_key: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        ld_value = _jsonld_str(self._ld.get(ld_key))
        if ld_value:
            found.append(("jsonld", ld_value))
        meta_value = self.doc.meta(*meta_keys)
        if meta_value:
            found.append(("meta", meta_value))
        dl_value = clean(self.doc.datalayer.get(dl_key))
        if dl_value:
            found.append(("datalayer", dl_value))
        return found

    # -- fields ---------------------------------------------------------------------------------------------

    @field
    def url(self) -> str:
        return self.fetched_url

    @field
    def layout(self) -> str:
        return self.NAME

    @field
    def canonical_url(self) -> str | None:
        main = self._ld.get("mainEntityOfPage")
        main_id = main.get("@id") if isinstance(main, dict) else main
        return (absolute(self.fetched_url, self.doc.links.get("canonical"))
                or absolute(self.fetched_url, self.doc.meta("og:url"))
                or absolute(self.fetched_url, main_id if isinstance(main_id, str) else None))

    @field
    def title(self) -> str | None:
        return self._title

    @field
    def lede(self) -> str | None:
        return (_jsonld_str(self._ld.get("description")) or self.doc.meta("og:description", "description")
                or self.visible_lede() or None)

    @field
    def paragraphs(self) -> list[str]:
        return self._paragraphs

    @field
    def structured_authors(self) -> list[str]:
        authors = jsonld_names(self._ld.get("author"))
        penulis = clean(self.doc.datalayer.get("penulis"))
        if penulis:
            authors.append(penulis)
        return dedupe(authors)

    @field
    def structured_editors(self) -> list[str]:
        editors = jsonld_names(self._ld.get("editor"))
        editor = clean(self.doc.datalayer.get("editor"))
        if editor:
            editors.append(editor)
        return dedupe(editors)

    @field
    def credit_lines(self) -> list[str]:
        return self._credits[0]

    @field
    def source_lines(self) -> list[str]:
        return dedupe(self._credits[1] + self.visible_via())

    @field
    def structured_source(self) -> str | None:
        return clean(self.doc.datalayer.get("source")) or None

    @field
    def published(self) -> list[tuple[str, str]]:
        return self._dates("datePublished", ("article:published_time", "og:article:published_time", "datepublished"),
                           "publish_date") + self.visible_published()

    @field
    def modified(self) -> list[tuple[str, str]]:
        return self._dates("dateModified", ("article:modified_time", "og:updated_time", "datemodified"),
                           "modified_date") + self.visible_modified()

    @field
    def section(self) -> str | None:
        section_ld = self._ld.get("articleSection")
        if isinstance(section_ld, list):
            section_ld = next((s for s in section_ld if isinstance(s, str) and s.strip()), None)
        title = self._title or ""
        not_sections = _NOT_RUBRICS | {title.casefold(), (self._visible_title or "").casefold()}

        def rubrics(names: list[str]) -> list[str]:
            return [c for c in names if c.casefold() not in not_sections and not c.casefold().endswith(_SITE_SUFFIXES)]

        # The breadcrumb (structured, else the visible one) names the most specific rubric (Home › Nasional ›
        # Politik with articleSection "Nasional"; Home › News › Nasional with dataLayer section "news"). When
        # articleSection is none of its crumbs it is a different, often finer, classification than a shallow
        # breadcrumb (Home › Internasional), and it stays. The dataLayer section is only the top-level channel.
        crumbs = rubrics(self.doc.breadcrumb_ld) or rubrics(self.visible_breadcrumb())
        article_section = _jsonld_str(section_ld)
        refines = bool(crumbs) and (not article_section
                                    or article_section.casefold() in {c.casefold() for c in crumbs})
        return ((crumbs[-1] if refines else None) or article_section or clean(self.doc.datalayer.get("section"))
                or self.visible_topic() or None)

    @field
    def tags(self) -> list[str]:
        # The page's own tag block first; the meta keywords only as a last resort.
        tags = self.visible_tags() or dedupe(jsonld_keywords(self._ld.get("keywords")))
        if not tags:
            keywords = self.doc.meta("keywords", "news_keywords").split(",")
            tags = dedupe([t for t in map(clean, keywords) if t])
        return tags

    @field
    def image_url(self) -> str | None:
        url, doc = self.fetched_url, self.doc
        return (absolute(url, doc.meta("og:image", "og:image:url", "og:image:secure_url"))
                or absolute(url, jsonld_image(self._ld.get("image")))
                or absolute(url, self._image[0])
                or absolute(url, doc.meta("twitter:image", "twitter:image:src"))
                or absolute(url, doc.links.get("image_src")))

    @field
    def image_caption(self) -> str | None:
        return self._image[1] or None

    @field
    def image_credit(self) -> str | None:
        return self.visible_image_credit() or None

    @field
    def page(self) -> int:
        return self._pages.page

    @field
    def page_count(self) -> int:
        return self._pages.page_count

    @field
    def page_urls(self) -> list[str]:
        return self._pages.page_urls

    @field
    def is_all_pages(self) -> bool:
        return self._pages.is_all_pages

    @field
    def accessible_for_free(self) -> bool | None:
        return jsonld_free(self._ld.get("isAccessibleForFree"))

    @field
    def summary(self) -> list[str]:
        return self.visible_summary()


def entry_points(cls: type[ArticlePage]) -> tuple[Callable[[Selector, str], bool],
                                                  Callable[[Selector, str], RawArticle]]:
    """The module-level ``matches(sel, url)`` and ``parse(sel, url)`` of the layout ``cls``."""

    def matches(sel: Selector, url: str) -> bool:
        return cls.matches(page_for(sel), url)

    def parse(sel: Selector, url: str) -> RawArticle:
        return cls(page_for(sel), url).to_raw()

    return matches, parse
