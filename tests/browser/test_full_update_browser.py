"""
Full Update in a real browser (headless Debian Chromium through chromedriver) against the live
stack: a person logs in, clicks Full Update on the S fleet's endpoint (100 guests), watches the
progress reach the end, reloads mid-run and still sees every event, and reads a summary whose
counts match NetBox's contents; then previews a change and reads the plan as a diff. Saves the
screenshots the docs use (docs/images/) and prints the time from click to summary.
"""

import shutil
import time
from pathlib import Path

import pytest

from tests.fullupdate.live import S_FLEET, run_of

pytestmark = [pytest.mark.e2e]

CHROMIUM, CHROMEDRIVER = Path('/usr/bin/chromium'), Path('/usr/bin/chromedriver')
IMAGES = Path(__file__).resolve().parents[2] / 'docs' / 'images'
FLAGS = (
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--window-size=1400,1600',
)


@pytest.fixture(scope='module')
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()) and not shutil.which('chromedriver'):
        pytest.skip('Debian chromium and chromium-driver are not installed (scripts/stack.sh testdb installs them)')
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, timeout=600, poll=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(condition)
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f'timed out waiting for: {condition}')


def log_in(driver, stack):
    from selenium.webdriver.common.by import By

    driver.get(stack.url + '/login/')
    driver.find_element(By.NAME, 'username').send_keys('admin')
    driver.find_element(By.NAME, 'password').send_keys('admin-password')
    driver.find_element(By.CSS_SELECTOR, 'button[type=submit]').click()
    wait(driver, "return !location.pathname.startsWith('/login')", timeout=60)


def click(driver, element_id):
    driver.execute_script(f"document.getElementById('{element_id}').click()")


def summary_cell(driver, kind, column):
    script = (
        f'const row = document.querySelector(\'#proxbox-summary-table tr[data-kind="{kind}"]\');'
        f'return row ? row.querySelector(\'td[data-column="{column}"]\').textContent : null;'
    )
    value = driver.execute_script(script)
    return int(value) if value is not None else 0


def netbox_count(stack, path, **params):
    return stack.api('GET', path, params={'limit': 1, **params}).json()['count']


class TestFullUpdateInBrowser:
    """The button, live progress across a reload, the summary against NetBox, then the preview diff."""

    def test_full_update_then_preview(self, live_stack, browser):
        log_in(browser, live_stack)
        endpoint = live_stack.info['endpoints'][S_FLEET]
        browser.get(f'{live_stack.url}/plugins/proxbox/endpoints/proxmox/{endpoint}/')
        clicked = time.monotonic()
        click(browser, 'proxbox-full-update')
        wait(browser, 'return /\\/sync-runs\\/\\d+\\/$/.test(location.pathname)', timeout=120)
        run_id = int(browser.current_url.rstrip('/').rsplit('/', 1)[1])

        # Reload in the middle of the run (once the Proxmox read is done): every event comes back.
        wait(browser, 'return document.querySelector(\'[data-stage="proxmox"] .bg-success\') !== null')
        seen = wait(browser, "return document.querySelectorAll('#proxbox-events tr').length")
        mid_run = run_of(live_stack, run_id)['status']['value'] == 'running'
        browser.refresh()
        wait(browser, f"return document.querySelectorAll('#proxbox-events tr').length >= {seen}", timeout=120)
        browser.save_screenshot(str(IMAGES / 'full-update-running.png'))

        wait(browser, "return document.getElementById('proxbox-run')?.dataset.finished === 'true'", timeout=900)
        elapsed = time.monotonic() - clicked
        print(f'\nFull Update of the S fleet (100 guests): {elapsed:.1f} s from click to summary')
        browser.save_screenshot(str(IMAGES / 'full-update-summary.png'))

        run = run_of(live_stack, run_id)
        assert mid_run, 'the reload happened after the run had finished: nothing was tested'
        assert run['status']['value'] == 'completed', run['error_summary']
        rows = browser.execute_script(
            "return [...document.querySelectorAll('#proxbox-events tr')].map(r => Number(r.dataset.eventId))"
        )
        assert rows == [item['id'] for item in run['events']]
        self.check_summary_against_netbox(live_stack, browser)
        self.preview_a_change(live_stack, browser, endpoint)

    @staticmethod
    def check_summary_against_netbox(stack, driver):
        cluster = stack.api('GET', '/api/virtualization/clusters/', params={'name': S_FLEET}).json()['results'][0]
        vms = netbox_count(stack, '/api/virtualization/virtual-machines/', cluster_id=cluster['id'])
        assert vms == 100
        assert summary_cell(driver, 'virtualization.virtualmachine', 'created') == vms
        interfaces = netbox_count(stack, '/api/virtualization/interfaces/', cluster_id=cluster['id'])
        assert summary_cell(driver, 'virtualization.vminterface', 'created') == interfaces
        devices = netbox_count(stack, '/api/dcim/devices/', cluster_id=cluster['id'])
        assert summary_cell(driver, 'dcim.device', 'created') == devices == 3
        assert summary_cell(driver, 'virtualization.virtualmachine', 'failed') == 0

    @staticmethod
    def preview_a_change(stack, driver, endpoint):
        fleet = stack.sim_control('cluster', 'GET', '/fleet')['clusters'][0]['guests']
        stack.sim_control('cluster', 'POST', f'/guests/{fleet[0]["vmid"]}/rename', json={'name': 'web-renamed'})
        stack.sim_control('cluster', 'POST', f'/guests/{fleet[1]["vmid"]}/config', json={'memory': 24576})
        stack.sim_control('cluster', 'POST', '/guests', json={'type': 'qemu', 'name': 'brand-new-vm'})
        driver.get(f'{stack.url}/plugins/proxbox/endpoints/proxmox/{endpoint}/')
        click(driver, 'proxbox-preview')
        wait(driver, "return document.getElementById('proxbox-view-plan') !== null", timeout=600)
        click(driver, 'proxbox-view-plan')
        wait(driver, "return document.querySelector('.proxbox-plan-kind') !== null", timeout=120)
        text = driver.find_element('tag name', 'body').text
        assert 'web-renamed' in text and 'brand-new-vm' in text and '24576' in text
        driver.save_screenshot(str(IMAGES / 'preview-diff.png'))
        click(driver, 'proxbox-apply')
        wait(driver, "return document.getElementById('proxbox-run')?.dataset.finished === 'true'", timeout=600)
        assert wait(driver, "return document.getElementById('proxbox-run-status')?.dataset.status") == 'completed'
        assert netbox_count(stack, '/api/virtualization/virtual-machines/', name='brand-new-vm') == 1
