/**
 * The season at city scale in the browser (issue 13), during the 2023 scheme's screening period:
 * the 蜀山区 office finds the screening list first on its home, works through it (承诺缴费 keeps a
 * person on the list, 已迁出 closes the entry) and exports it; the city centre's home shows the
 * rates chart with the 95% target line, the progress table and its xlsx export; the city enters
 * a fictional 2030 and previews it beside 2024. Screenshots in test-results/e2e/season.
 */
import { generatePopulation } from '../../../scripts/generate-population';
import { signIn as apiSignIn } from '../../cloud/helpers';
import { importAndScreen, seedSeason } from '../../cloud/season-helpers';
import { browserScenario, screenshot } from '../support/browser';
import { button, openApp, settle, type } from '../support/resident';
import { signInStaff } from '../support/staff';

const SPEC = 'season';
const { people, csv } = generatePopulation(600, 5);
const world = browserScenario('2023-11-20T10:00:00+08:00', {
  pages: 2,
  setup: async (cloud) => {
    // The enrollments so far, counted by the recount job (as on a first deployment), then the screening.
    await seedSeason(cloud, people, { marks: false });
    const city = await apiSignIn(cloud.url, 'city_center', 'Local@2023');
    for (const benefitYear of [2022, 2023, 2024]) {
      let job = await city.data('staffSeason', { action: 'progressRecount', benefitYear });
      while (job.status === 'running') job = await city.data('staffSeason', { action: 'progressRecountJob', jobId: job.jobId });
    }
    const { runJob } = await importAndScreen(cloud, city, csv);
    expect(runJob.status).toBe('done');
  },
});

test('a district officer works through the screening list and exports it', async () => {
  const { cloud, pages: [officer] } = world;
  await openApp(officer, cloud);
  await signInStaff(officer, 'sq_district');
  const card = officer.getByTestId('staff-screening-entry').first();
  // The season's cards come after the home's own entries (their own calls): a loaded machine needs longer.
  await card.waitFor({ timeout: 90_000 });
  expect(await card.getAttribute('data-in-period')).toBe('yes');
  await screenshot(officer, SPEC, '01-district-home-screening-first');
  await button(officer, '查看排查名单').click();
  await officer.getByTestId('screening-summary').waitFor();
  await officer.getByTestId('screening-entry').first().waitFor();
  const total = Number((await officer.getByTestId('screening-total').innerText()).replace(/\D/g, ''));
  expect(total).toBeGreaterThan(2);
  await screenshot(officer, SPEC, '02-district-list');

  const first = officer.getByTestId('screening-entry').nth(0);
  const firstId = await first.getAttribute('data-entry');
  await first.locator('[data-outcome="will_pay"]').click();
  await officer.locator(`[data-entry="${firstId}"] [data-testid="screening-visit"]`, { hasText: '承诺缴费' }).waitFor();
  const second = officer.getByTestId('screening-entry').nth(1);
  const secondId = await second.getAttribute('data-entry');
  await second.locator('[data-outcome="moved_away"]').click();
  await officer.locator(`[data-entry="${secondId}"]`).waitFor({ state: 'detached' });
  expect(Number((await officer.getByTestId('screening-total').innerText()).replace(/\D/g, ''))).toBe(total - 1);
  await screenshot(officer, SPEC, '03-district-visits');

  await button(officer, '导出名单（Excel）').click();
  await officer.getByTestId('screening-file').waitFor();
  expect(await officer.getByTestId('screening-file').innerText()).toContain(`共 ${total - 1} 人`);
  const href = await officer.getByTestId('screening-download').getAttribute('href');
  const r = await fetch(href!);
  expect(r.status).toBe(200);
  await screenshot(officer, SPEC, '04-district-export');
});

test("the city centre's progress chart and export", async () => {
  const { cloud, pages: [, city] } = world;
  await openApp(city, cloud);
  await signInStaff(city, 'city_center');
  const chart = city.getByTestId('rate-chart').first();
  await chart.waitFor();
  expect(await chart.getAttribute('data-target')).toBe('95');
  expect(await city.getByTestId('rate-bar').count()).toBe(13);
  await city.getByTestId('rate-target-line').first().waitFor();
  // The F2 chart really drew on its canvas: the dashed target line (red) and the axis labels and
  // values (dark text). The bars are there too but a hair wide: 600 generated people against last
  // year's printed hundreds of thousands make every rate about 0.1%.
  await city.locator('[data-testid="rate-chart"][data-chart="drawn"]').first().waitFor();
  const drawn = await chart.evaluate((card) => {
    const canvas = card.querySelector('canvas')!;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    const count = (near: (r: number, g: number, b: number) => boolean) => {
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && near(data[i], data[i + 1], data[i + 2])) n++;
      return n;
    };
    return {
      width: canvas.width,
      target: count((r, g, b) => Math.abs(r - 0xd4) < 12 && Math.abs(g - 0x38) < 12 && Math.abs(b - 0x0d) < 12),
      ink: count((r, g, b) => r < 90 && g < 90 && b < 110),
    };
  });
  expect(drawn.width).toBeGreaterThan(0);
  expect(drawn.target).toBeGreaterThan(100);
  expect(drawn.ink).toBeGreaterThan(500);
  // The page scrolls inside its own container: bring the chart into the picture.
  await chart.scrollIntoViewIfNeeded();
  await screenshot(city, SPEC, '05-city-home-chart');
  await button(city, '参保进度统计表').click();
  await city.getByTestId('progress-table').waitFor();
  expect(await city.getByTestId('progress-row').count()).toBe(14);
  expect(await city.locator('[data-testid="progress-row"][data-area="全市合计"]').innerText()).toContain('551.15');
  // 蜀山区's enrolled this year, live from the counters: the generated people of 蜀山区 enrolled in 2024.
  const shushan = people.filter((p) => p.district === '蜀山区' && p.enrolled[2024]).length;
  expect(await city.locator('[data-testid="progress-row"][data-area="蜀山区"] [data-testid="progress-enrolled"]').innerText()).toBe((Math.round(shushan / 100) / 100).toFixed(2));
  expect(await city.locator('[data-testid="rate-bar"][data-area="蜀山区"]').last().getAttribute('data-rate')).toBe(String(Math.round((shushan / 281_500) * 1000) / 10));
  await button(city, '导出 Excel（附件2格式）').click();
  await city.getByTestId('progress-file').waitFor();
  expect(await city.getByTestId('progress-file').innerText()).toContain('2023年各县（市）区、开发区参保进度统计表');
  await screenshot(city, SPEC, '06-city-progress-table');
});

test('the city previews a fictional 2030 beside 2024', async () => {
  const { cloud, pages: [, city] } = world;
  await city.goto(`${cloud.url}/#/staff/pages/policy/index`);
  await city.getByTestId('policy-new').waitFor();
  await type(city, 'benefitYear', '2030');
  await button(city, '以上一年度为模板开始录入').click();
  await city.getByTestId('policy-form').waitFor();
  await type(city, 'contribution', '400');
  await city.locator('input[name="title"]').click();
  await settle(city, 300);
  await button(city, '试算并与上一年度对比').click();
  await city.getByTestId('policy-preview').waitFor();
  await city.locator('[data-testid="policy-diff"][data-field="financing.individualContributionFen"]', { hasText: '380.00元 → 400.00元' }).waitFor();
  expect(await city.locator('[data-testid="policy-sample"][data-changed="yes"]').count()).toBeGreaterThan(3);
  await screenshot(city, SPEC, '07-policy-preview');
});
