"""The student's experience in a real browser: headless Chromium (Debian's) driven by Playwright.

A student logs in to the hub, opens the released notebook (fetched, with the answers written in),
runs every cell in JupyterLab, moves the hidden-state widget's slider and sees the plot change,
then presses nbgrader's Validate button. Screenshots go to .test-artifacts/hub/browser-*.png.
"""
import time

import pytest

from browser import logged_in
from course_files import ARTIFACTS, NOTEBOOK, fetch_solved


@pytest.fixture
def student(hub, released):
    """Student s3 with the assignment fetched and solved, logged in to the hub in a fresh browser."""
    name = hub.names["s3"]
    fetch_solved(hub, "s3")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with logged_in(hub, name) as page:
        yield page


def shot(page, label):
    page.screenshot(path=str(ARTIFACTS / f"browser-{label}.png"))


def plot_image(page):
    """The src of the picture drawn by the widget's interactive output (a PNG data URL)."""
    return page.locator(".widget-output img, .jp-OutputArea-output img").last.get_attribute("src")


def wait_for_kernel(page, http, server_url, timeout=600):
    """Until the notebook's kernel has started and is idle, so that Run All runs at once.

    What it waits for: the server's own record, a session for NOTEBOOK whose kernel reports the execution
    state "idle" (JupyterLab asks for it when the notebook opens; on a loaded machine the kernel took minutes
    to start, and the page showed "No Kernel | Initializing" meanwhile, which an idle-looking toolbar did not
    tell apart). Then the page itself: its status bar names a kernel, not "No Kernel", and says "Idle".
    """
    deadline, state = time.monotonic() + timeout, "no session for the notebook yet"
    while time.monotonic() < deadline:
        sessions = [s for s in http.get(f"{server_url}/api/sessions", timeout=30).json() if s.get("path") == NOTEBOOK]
        state = sessions[0]["kernel"]["execution_state"] if sessions else "no session for the notebook yet"
        if state == "idle":
            break
        time.sleep(1)
    else:
        pytest.fail(f"the notebook's kernel was not ready after {timeout} s; the server said: {state}")
    page.wait_for_function("() => { const bar = document.querySelector('#jp-main-statusbar');"
                           " return bar && bar.textContent.includes('Idle') && !bar.textContent.includes('No Kernel'); }",
                           timeout=120_000)


def test_student_runs_the_notebook_plays_with_the_widget_and_validates(student, hub):
    page = student
    name = hub.names["s3"]
    http = hub.session(hub.token_for(name))
    page.goto(f"{hub.url}/user/{name}/lab/tree/{NOTEBOOK}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    wait_for_kernel(page, http, f"{hub.url}/user/{name}")
    shot(page, "1-opened")
    # The course's JupyterLab defaults (deploy/jupyterlab/overrides.json) are in force: JupyterLab does not ask
    # about Jupyter news (it asks only while fetchNews is "none"); the end of the test checks no pop-up showed.
    plugin = http.get(
        f"{hub.url}/user/{name}/lab/api/settings/@jupyterlab/apputils-extension:notification", timeout=60).json()
    fetch_news = plugin["settings"].get("fetchNews", plugin["schema"]["properties"]["fetchNews"]["default"])
    assert fetch_news == "false", plugin["schema"]["properties"]["fetchNews"]

    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    slider = page.locator(".widget-slider").filter(has_text="step t")
    slider.wait_for(timeout=240_000)
    slider.scroll_into_view_if_needed()
    page.locator(".widget-output img, .jp-OutputArea-output img").last.wait_for()
    readout = slider.locator(".widget-readout")
    before_value, before_plot = readout.inner_text(), plot_image(page)
    shot(page, "2-widget")

    slider.locator(".noUi-handle, .ui-slider-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, v]) => el.textContent.trim() !== v", arg=[readout.element_handle(), before_value])
    page.wait_for_function(
        "(old) => { const imgs = document.querySelectorAll('.widget-output img, .jp-OutputArea-output img');"
        " return imgs.length && imgs[imgs.length - 1].src !== old; }", arg=before_plot, timeout=60_000)
    assert int(readout.inner_text()) == int(before_value) + 1
    shot(page, "3-widget-moved")

    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(timeout=180_000)
    page.wait_for_function("() => !document.querySelector('.jp-Dialog').textContent.includes('Validating')",
                           timeout=180_000)
    shot(page, "4-validated")
    text = dialog.inner_text()
    assert "Success" in text and "passes all the tests" in text, text
    assert page.get_by_text("get notified about official Jupyter news").count() == 0, "JupyterLab asked about news"
