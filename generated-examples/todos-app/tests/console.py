"""Drives the todos console in headless Chromium (through Selenium and
Debian's chromium-driver): sends a command from its form, sees the row
appear in the table of a query and the event in the live feed, sees a
refusal's message beside the form that caused it and the browser's own
validation of a constraint, and keeps a screenshot.

    python console.py BASE_URL SCREENSHOT.png
"""

import shutil
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main(url, screenshot):
    options = Options()
    options.binary_location = shutil.which("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1280,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        run(driver, url)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(screenshot)
    except Exception:
        driver.save_screenshot(screenshot)
        print(driver.page_source[:4000], file=sys.stderr)
        raise
    finally:
        driver.quit()


def run(driver, url):
    driver.get(url)
    wait = WebDriverWait(driver, 15)
    css = driver.find_element
    create = css(By.CSS_SELECTOR, 'form[data-action="create-new"]')
    output = create.find_element(By.TAG_NAME, "output")

    # The inputs are typed by the terms: a yes/no is a checkbox.
    done = css(By.CSS_SELECTOR, 'form[data-action="change-completed"] input[name="completed"]')
    assert done.get_attribute("type") == "checkbox", done.get_attribute("type")

    # The browser's own validation: a blank text breaks `not blank`.
    create.find_element(By.NAME, "id").send_keys("t1")
    text = create.find_element(By.NAME, "text")
    text.send_keys("   ")
    assert not driver.execute_script("return arguments[0].checkValidity()", create)
    text.clear()
    text.send_keys("buy milk")
    assert driver.execute_script("return arguments[0].checkValidity()", create)

    # A command sent: its event beside the form, the row in the table, the
    # event in the feed.
    create.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: "Accepted" in output.text)
    assert output.get_attribute("class") == "accepted", output.get_attribute("class")
    rows = '[data-query="/api/todos/queries/all-todos"] tbody'
    wait.until(lambda d: "buy milk" in css(By.CSS_SELECTOR, rows).text)
    wait.until(lambda d: "created" in css(By.CSS_SELECTOR, "ol.events").text)
    count = '[data-query="/api/todos/queries/open-count"] .value'
    wait.until(lambda d: css(By.CSS_SELECTOR, count).text == "1")

    # The same again is refused: the rule's message beside the form.
    create.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: output.get_attribute("class") == "refused")
    assert "there is already a todo `t1`" in output.text, output.text

    # A second command, from another form.
    done.click()
    other = css(By.CSS_SELECTOR, 'form[data-action="change-completed"]')
    other.find_element(By.NAME, "id").send_keys("t1")
    other.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda d: "completed-changed" in css(By.CSS_SELECTOR, "ol.events").text)
    wait.until(lambda d: css(By.CSS_SELECTOR, count).text == "0")
    done_rows = css(By.CSS_SELECTOR, "[data-query=\"/api/todos/queries/done-todos\"] tbody").text
    assert "yes" in done_rows, done_rows
    print("the console sent commands, showed rows, events and a refusal")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
