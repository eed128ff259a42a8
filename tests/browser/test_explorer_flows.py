"""The explorer's flows in a real headless Chromium, each asserting what the page shows.

search with a partial word -> open a node -> expand the graph -> open the heat map -> click a cell
and see its evidence -> compare two roles -> run a saved query in the console; plus the headline,
paths, deep links, /docs and /redoc offline, and a narrow screen."""

from __future__ import annotations

import time
from typing import Any

from tests.browser.conftest import ARTIFACTS, NARROW, Page

INCIDENT = "practice:incident-management"
ITIL_DOC = "ITIL 4 management practices"


def keys() -> Any:
    from selenium.webdriver.common.keys import Keys

    return Keys


def graph_count(page: Page, what: str = "nodes") -> int:
    return int(page.driver.execute_script(f"return window.explorerGraph ? window.explorerGraph.{what}().length : 0"))


def click_graph_node(page: Page, node_id: str) -> None:
    """A real mouse click at the node's place on the canvas."""
    from selenium.webdriver.common.action_chains import ActionChains

    canvas = page.css("#graph")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    x, y = page.driver.execute_script(
        "const p = window.explorerGraph.getElementById(arguments[0]).renderedPosition(); return [p.x, p.y];", node_id
    )
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(page.driver).move_to_element_with_offset(
        canvas, int(x - width / 2), int(y - height / 2)
    ).click().perform()


def test_search_with_a_partial_word_opens_the_node(page: Page) -> None:
    page.open("/")
    page.idle()
    page.wait_text("h1", "Explore ITIL 4, Zero Outage and SFIA")
    box = page.css("header input[role=combobox]")
    box.send_keys("incid")
    page.wait(lambda d: len(page.all("#search [role=option]")) >= 3, what="suggestions")
    options = [o.text for o in page.all("#search [role=option]")]
    assert any("Incident management" in o for o in options), options
    page.screenshot("suggestions")
    target = next(i for i, o in enumerate(options) if o.startswith("Incident management"))
    for _ in range(target):
        box.send_keys(keys().ARROW_DOWN)
    active = page.driver.find_element("id", box.get_attribute("aria-activedescendant"))
    assert active.text.startswith("Incident management")
    box.send_keys(keys().ENTER)
    page.wait(lambda d: d.current_url.endswith(f"#/node/{INCIDENT}"), what="node URL")
    page.idle()
    page.wait_text("h1", "Incident management")
    assert "Practice" in page.text_of(".node-head .badge")
    assert ITIL_DOC in page.text_of(".node-facts .sources")
    groups = [g.text for g in page.all(".rel-group summary")]
    assert any(g.startswith("Outgoing CONTRIBUTES_TO") for g in groups), groups
    assert any(g.startswith("Incoming RESPONSIBLE_FOR") for g in groups), groups
    assert page.driver.title.startswith("Incident management")
    page.screenshot("node")


def test_the_neighbourhood_graph_expands_on_click_and_filters(page: Page) -> None:
    page.open(f"/#/node/{INCIDENT}")
    page.idle()
    page.wait(lambda d: graph_count(page) > 1, what="graph drawn")
    page.wait_text(".graph-status", "links")
    before = graph_count(page)
    assert page.driver.execute_script("return window.explorerGraph.edges('.inferred').length") > 0, (
        "inferred drawn apart"
    )
    legend = page.text_of(".graph-section .legend")
    assert "inferred" in legend and "Role" in legend
    # Expand the Deliver and support activity: its other contributing practices join the picture.
    click_graph_node(page, "activity:itil:deliver-and-support")
    page.wait(lambda d: graph_count(page) > before, what="graph grew")
    page.wait_text(".graph-status", "added from Deliver and support")
    page.wait_text(".graph-info", "Open its page")
    page.screenshot("expanded")
    # A link's evidence, on click: an inferred responsibility shows its rationale.
    page.driver.execute_script("window.explorerGraph.edges('.inferred')[0].emit('tap')")
    page.wait_text(".graph-info", "inferred")
    # Filter by type and direction: only incoming RESPONSIBLE_FOR links remain.
    from selenium.webdriver.support.ui import Select

    Select(page.css(".graph-section select[name=type]")).select_by_value("RESPONSIBLE_FOR")
    Select(page.css(".graph-section select[name=direction]")).select_by_value("in")
    page.wait(
        lambda d: d.execute_script(
            "const es = window.explorerGraph.edges(); return es.length > 0 && es.every(e => e.data('type') === 'RESPONSIBLE_FOR')"
        ),
        what="filtered graph",
    )
    assert "type=RESPONSIBLE_FOR" in page.driver.current_url and "direction=in" in page.driver.current_url
    page.screenshot("filtered")


def test_heat_map_cell_shows_its_evidence(page: Page) -> None:
    page.open("/")
    page.idle()
    page.css("nav a[href='#/heatmap']").click()
    page.idle()
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) >= 30, what="heat map rows")
    assert [th.text for th in page.all("table.heatmap thead th")][1:] == [
        "Plan",
        "Improve",
        "Engage",
        "Design and transition",
        "Obtain/build",
        "Deliver and support",
    ]
    cell = page.css("button.cell[aria-label='Incident management / Deliver and support: high']")
    assert "level-high" in cell.get_attribute("class")
    page.screenshot("practices")
    cell.click()
    page.wait_text("#evidence h2", "Incident management → Deliver and support")
    evidence = page.text_of("#evidence")
    assert "high" in evidence and ITIL_DOC in evidence and "Incident manager" in evidence
    assert (
        "row=practice%3Aincident-management" in page.driver.current_url
        or "row=practice:incident-management" in page.driver.current_url
    )
    page.screenshot("evidence")
    # The address keeps the chosen cell: reloading shows the same evidence.
    page.driver.refresh()
    page.idle()
    page.wait_text("#evidence h2", "Incident management → Deliver and support")
    # Filter by source document: 004 alone grades ten contributions, all unspecified.
    from selenium.webdriver.support.ui import Select

    Select(page.css("select[name=source]")).select_by_value("itil4-mp")
    page.wait(lambda d: 0 < len(page.all("table.heatmap tbody tr")) < 30, what="filtered rows")
    levels = {b.get_attribute("class") for b in page.all("button.cell:not(.level-blank)")}
    assert levels == {"cell level-unspecified"}, levels


def test_role_coverage_heat_map_of_zero_outage(page: Page) -> None:
    page.open("/#/heatmap?chain=value-chain:zero-outage&view=roles&aligned=0")
    page.idle()
    # the 8 job profiles whose own wording places them in a phase (zero-outage.yaml)
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) == 8, what="8 job profiles")
    page.css("input[name=aligned]").click()  # also through the ITIL activities each phase aligns with
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) > 8, what="roles through alignment")
    assert "aligned=0" not in page.driver.current_url
    through = page.css("button.cell[aria-label^='Incident manager / Run: practices up to high']")
    assert "aligned" in through.get_attribute("class")
    through.click()
    page.wait_text("#evidence", "contributes to Deliver and support")
    cell = page.css("button.cell[aria-label^='Incident Manager / Run']")
    cell.click()
    page.wait_text("#evidence h2", "Incident Manager → Run")
    evidence = page.text_of("#evidence")
    assert "Works in the activity" in evidence and "inferred" in evidence and "Zero Outage" in evidence
    page.screenshot("roles")


def test_compare_two_roles(page: Page) -> None:
    page.open("/#/compare")
    page.idle()
    boxes = page.all("main input[role=combobox]")
    assert len(boxes) == 2
    for box, text in zip(boxes, ["incident man", "problem man"], strict=True):
        box.send_keys(text)
        page.wait(lambda d, b=box: b.get_attribute("aria-expanded") == "true", what="suggestions")
        assert "role:zero-outage:" in page.driver.find_element("id", box.get_attribute("aria-activedescendant")).text
        box.send_keys(keys().ENTER)
        time.sleep(0.2)
    page.wait(lambda d: "b=role" in d.current_url, what="compare URL")
    page.idle()
    page.wait_text(".summary-line", "13 shared competencies")
    counts = [e.text for e in page.all(".compare-col h3 .count")]
    assert counts[:3] == ["13", "5", "5"], counts
    only_a = page.text_of(".compare-a")
    assert "Sense of urgency" in only_a and "Communication Management" in only_a
    assert "Learning from mistakes" in page.text_of(".compare-b")
    assert page.all(".compare-shared .family h4"), "grouped by family"
    page.screenshot("roles")


def test_run_a_saved_query_in_the_console(page: Page) -> None:
    from selenium.webdriver.support.ui import Select

    page.open("/#/console")
    page.idle()
    Select(page.css("select[name=query]")).select_by_value("practices-for-activity")
    assert "practices-for-activity" in page.driver.current_url
    assert "MATCH" in page.css("textarea[name=cypher]").get_attribute("value")
    activity = page.css("input[name=param-activity]")
    activity.clear()
    activity.send_keys("activity:itil:deliver-and-support")
    page.css("form.console button[type=submit]").click()
    page.wait_text(".summary-line", "rows")
    rows = page.all("table.results tbody tr")
    assert rows and "practice:incident-management" in page.text_of("table.results")
    page.screenshot("results")
    for old in ARTIFACTS.glob("practices-for-activity*.csv"):
        old.unlink()
    page.css("form.console button[type=button]").click()
    csv = page.wait(lambda d: next(iter(ARTIFACTS.glob("practices-for-activity*.csv")), None), what="CSV download")
    time.sleep(0.3)
    assert "practice:incident-management" in csv.read_text()


def test_headline_question(page: Page) -> None:
    page.open("/#/headline?activity=activity:itil:deliver-and-support&min_level=high")
    page.idle()
    page.wait_text(".summary-line", "5 practices contribute to Deliver and support at high or above")
    rows = page.all("table.headline tbody tr")
    assert len(rows) == 5
    first = rows[0].text
    assert "Incident management" in first and "Incident manager" in first
    page.screenshot("deliver")


def test_paths_are_drawn(page: Page) -> None:
    page.open("/#/paths?from=role:zero-outage:incident-manager&to=activity:itil:deliver-and-support")
    page.idle()
    page.wait_text(".summary-line", "from Incident Manager to Deliver and support")
    assert page.all(".path-list li")
    page.wait(lambda d: graph_count(page) >= 3, what="path graph")
    # Each link drawn with its evidence: inferred ones dashed, sources on click.
    assert page.driver.execute_script("return window.explorerGraph.edges('.inferred').length") > 0
    page.driver.execute_script("window.explorerGraph.edges('.inferred')[0].emit('tap')")
    page.wait_text(".graph-info", "inferred")
    assert "Zero Outage Industry Standard" in page.text_of(".graph-info")
    page.screenshot("paths")


def test_deep_link_footer_and_focus_order(page: Page) -> None:
    page.open("/#/node/sfia:ITMG")
    page.idle()
    page.wait_text("h1", "")
    assert page.text_of("footer #release").startswith("release 0.1.0+")
    # Keyboard: the first Tab reaches the skip link, then the brand, then the search box.
    from selenium.webdriver.common.action_chains import ActionChains

    # Focus order follows the page: nothing jumps the queue, and Tab walks skip link -> brand -> search.
    assert (
        page.driver.execute_script(
            'return document.querySelectorAll(\'[tabindex]:not([tabindex="-1"]):not([tabindex="0"])\').length'
        )
        == 0
    )
    page.driver.execute_script("document.querySelector('.skip').focus()")
    order = ["skip"]
    for _ in range(2):
        ActionChains(page.driver).send_keys(keys().TAB).perform()
        active = page.driver.switch_to.active_element
        order.append(active.get_attribute("class") or active.get_attribute("role"))
    assert order == ["skip", "brand", "combobox"], order
    for label in ("html", "input", "select", "button", "textarea"):
        for element in page.all(f"main {label}:not([type=hidden])") if label != "html" else []:
            element_id = element.get_attribute("id")
            if label in ("input", "select", "textarea") and element_id:
                assert page.all(f"label[for='{element_id}']"), f"{label}#{element_id} has a label"
    page.screenshot("sfia")


def test_docs_and_redoc_work_offline(page: Page) -> None:
    page.open("/docs")
    page.wait_text(".swagger-ui .info", "itsm-ontology", timeout=30)
    assert page.all(".opblock"), "operations listed"
    page.screenshot("swagger")
    page.open("/redoc")
    page.wait_text("h1", "itsm-ontology", timeout=30)
    page.screenshot("redoc")


def test_narrow_screen(page: Page) -> None:
    page.resize(NARROW)
    for path, ready in (
        ("/", "Explore ITIL 4"),
        (f"/#/node/{INCIDENT}", "Incident management"),
        ("/#/headline?activity=activity:itil:deliver-and-support&min_level=high", "Which practices"),
        ("/#/compare?a=role:zero-outage:incident-manager&b=role:zero-outage:problem-manager", "Compare"),
        ("/#/heatmap?chain=value-chain:itil", "Heat maps"),
        ("/#/console?query=practices-for-activity", "Analyst console"),
    ):
        page.open(path)
        page.idle()
        page.wait_text("h1", ready)
        time.sleep(0.3)
        page.screenshot(path.strip("/#").split("?")[0].replace("/", "-") or "home", NARROW)
        overflow = page.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        wide = page.driver.execute_script(
            "return [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px at {NARROW[0]}px: {wide}"


def test_zero_outage_practice_heat_map_through_alignment(page: Page) -> None:
    page.open("/#/heatmap?chain=value-chain:zero-outage")
    page.idle()
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) >= 30, what="practices through alignment")
    assert [th.text for th in page.all("table.heatmap thead th")][1:] == ["Plan", "Build", "Deliver", "Run"]
    cell = page.css("button.cell[aria-label^='Incident management / Run: high (through Deliver and support']")
    assert "aligned" in cell.get_attribute("class")
    assert "through an aligned activity" in page.text_of(".legend")
    cell.click()
    page.wait_text("#evidence h2", "Incident management → Run")
    assert "said of Deliver and support" in page.text_of("#evidence")
    page.screenshot("practices")
    page.go("#/headline?activity=activity:zero-outage:run&min_level=high")
    page.idle()
    page.wait_text(".summary-line", "contribute to Run at high or above — through the activities it aligns with")
    assert "Incident management" in page.text_of("table.headline")
    page.screenshot("headline-run")


def test_overlapping_renders_leave_one_view(page: Page) -> None:
    """Two addresses in a row (the first render still awaiting its data when the second starts),
    then two filter changes in a row: one heading, one heat map, and it is the latest one asked for."""
    page.open("/")
    page.idle()
    page.driver.execute_script(
        "location.hash = '#/heatmap?chain=value-chain:zero-outage';"
        "setTimeout(() => { location.hash = '#/heatmap?chain=value-chain:itil'; }, 0);"
    )
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) >= 30, what="heat map rows")
    page.idle()
    time.sleep(0.5)  # let any render still in flight finish (it must draw nothing)
    assert len(page.all("main h1")) == 1 and len(page.all("table.heatmap")) == 1
    assert [th.text for th in page.all("table.heatmap thead th")][1] == "Plan"
    assert len(page.all("table.heatmap thead th")) == 7  # the ITIL chain: six activities
    page.driver.execute_script(
        "const s = document.querySelector('select[name=source]');"
        "s.value = 'itil4-mp'; s.dispatchEvent(new Event('change'));"
        "s.value = ''; s.dispatchEvent(new Event('change'));"
    )
    page.idle()
    time.sleep(0.5)
    page.wait(lambda d: len(page.all("table.heatmap tbody tr")) >= 30, what="the unfiltered map, drawn last")
    assert len(page.all("table.heatmap")) == 1
