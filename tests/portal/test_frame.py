"""The frame every page shares: CSP, landmarks, the error pages, the language switch, the sitemap."""

import datetime as dt
import re

from django.template.loader import render_to_string
from django.test import override_settings

import pytest
import time_machine

from tests.factories import OrganFactory, OrganPageFactory

pytestmark = pytest.mark.django_db


def test_home_is_served_under_a_strict_csp_without_inline_code(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, "the site script must be loaded"
    assert all('src="' in attrs and body.strip() == "" for attrs, body in scripts)
    assert not re.search(r"\sstyle\s*=", html)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+\s*=", html)


def test_frame_has_skip_link_landmarks_and_main_navigation(client):
    html = client.get("/").content.decode()
    body = html[html.index("<body>") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link" href="#main"' in first_link
    assert '<main id="main" class="container" tabindex="-1">' in html
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html
    assert 'aria-label="主导航"' in html
    assert html.count("<h1") == 1


def test_nav_marks_the_part_a_page_belongs_to(client):
    organ = OrganFactory(slug="tjj")
    OrganPageFactory(organ=organ)
    html = client.get("/organs/tjj/guide/").content.decode()
    assert '<a href="/organs/?part=guide" aria-current="true">政府信息公开指南</a>' in html
    html = client.get("/organs/?part=guide").content.decode()
    assert '<a href="/organs/?part=guide" aria-current="page">政府信息公开指南</a>' in html


def test_unknown_url_gets_the_chinese_404_page(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>页面不存在</h1>" in html
    assert 'class="skip-link"' in html


def test_500_page_renders_without_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "<h1>服务暂时不可用</h1>" in html
    assert 'href="/"' in html
    assert "csrfmiddlewaretoken" not in html


def test_403_page_is_in_chinese(rf):
    from django.views.defaults import permission_denied

    response = permission_denied(rf.get("/admin/x/"), exception=None)
    assert response.status_code == 403
    assert "<h1>无权访问</h1>" in response.content.decode()


def test_switching_to_english_translates_the_frame(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Guide to Government Information Disclosure" in html
    assert "跳到主要内容" not in html


def test_english_guide_page_is_translated_with_an_english_date(client, settings):
    organ = OrganFactory(slug="tjj")
    with time_machine.travel(dt.datetime(2024, 11, 2, 3, tzinfo=dt.UTC)):
        OrganPageFactory(organ=organ)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/organs/tjj/guide/").content.decode()
    assert "Updated: Nov. 2, 2024" in html
    assert ">Rules on Government Information Disclosure</a>" in html
    assert "Information disclosure office" in html


def test_language_switch_offers_the_other_language(client):
    html = client.get("/").content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html
    assert 'aria-current="true">简体中文</span>' in html


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_sitemap_lists_organ_pages(client):
    organ = OrganFactory(slug="tjj")
    OrganPageFactory(organ=organ, kind="rules")
    OrganFactory(slug="gone", is_active=False)
    xml = "".join(
        client.get(f"/sitemap-{section}.xml").content.decode()
        for section in ("portal", "organs", "organ-pages")
    )
    assert "http://testserver/</loc>" in xml
    assert "http://testserver/organs/</loc>" in xml
    assert "http://testserver/organs/tjj/</loc>" in xml
    assert "http://testserver/organs/tjj/disclosures/</loc>" in xml
    assert "http://testserver/organs/tjj/rules/</loc>" in xml
    assert "/organs/tjj/guide/" not in xml
    assert "/organs/gone/" not in xml
