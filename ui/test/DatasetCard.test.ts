import { mount, RouterLinkStub } from '@vue/test-utils';

import DatasetCard from '../src/components/DatasetCard.vue';
import type { DatasetsQuery } from '../src/graphql/generated/graphql';
import { renderMarkdown } from '../src/lib/markdown';

const titanic: DatasetsQuery['datasets'][number] = {
  slug: 'titanic',
  title: 'Titanic passengers',
  summary: 'Passenger manifest.',
  description:
    '`train.csv` has **891** passengers.\n\n| Column | Meaning |\n| --- | --- |\n| `Pclass` | ticket class |',
  source: 'Kaggle mirror',
  license: 'research use',
  origin: 'GENERATED' as const,
  trainingSessionPath: '/data/training/titanic',
  publicEvalSessionPath: '/data/public-eval/titanic',
  files: [
    {
      part: 'TRAINING' as const,
      name: 'train.csv',
      sizeBytes: 61_194,
      sha256: 'ab'.repeat(32),
      description: '891 passengers with Survived.',
      downloadUrl: '/api/v2/datasets/titanic/files/training/train.csv',
      sessionPath: '/data/training/titanic/train.csv',
    },
  ],
};

function mountCard(dataset = titanic, signedIn = true) {
  return mount(DatasetCard, {
    global: { stubs: { RouterLink: RouterLinkStub } },
    props: { dataset, signedIn, signInTo: '/sign-in?next=/datasets' },
  });
}

describe('DatasetCard', () => {
  it('lists each file with part, size, short checksum and a download link, and the session paths', () => {
    const wrapper = mountCard();
    const row = wrapper.get('tr[data-file="train.csv"]');
    expect(row.text()).toContain('training');
    expect(row.text()).toContain('59.8 KiB');
    expect(row.text()).toContain('abababababab…');
    expect(row.get('a').attributes()).toMatchObject({ href: titanic.files[0]!.downloadUrl, download: 'train.csv' });
    expect(wrapper.text()).toContain('/data/training/titanic/');
    expect(wrapper.text()).toContain('generated for this installation');
    // The description is Markdown: a table and emphasis, not literal pipes and stars.
    expect(wrapper.find('.markdown table').exists()).toBe(true);
    expect(wrapper.get('.markdown strong').text()).toBe('891');
  });

  it('asks a visitor to sign in instead of offering downloads', () => {
    const wrapper = mountCard(titanic, false);
    expect(wrapper.find('tr a').exists()).toBe(false);
    expect(wrapper.findComponent(RouterLinkStub).props('to')).toBe('/sign-in?next=/datasets');
  });

  it('says when the files are not installed', () => {
    expect(mountCard({ ...titanic, files: [] }).text()).toContain('not installed yet');
  });
});

describe('renderMarkdown', () => {
  it('shows raw HTML as text and drops script, event handlers and javascript: links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.org)',
    );
    const holder = document.createElement('div');
    holder.innerHTML = html;
    expect(holder.querySelector('script, img, [onerror]')).toBeNull();
    expect(holder.textContent).toContain('<script>alert(1)</script>');
    const links = [...holder.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.org']);
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
