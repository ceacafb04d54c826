/**
 * 所在社区 on the registration form (issue 11): the resident picks a district, the district's
 * communities come from resident.listCommunities, and the chosen one is what the form sends.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { CommunityPicker, type CommunityChoice } from '@/components/resident/CommunityPicker';

const T = Taro as unknown as Record<string, any>;
const savedCloud = T.cloud;

beforeEach(() => {
  process.env.TARO_ENV = 'weapp';
  T.cloud = {
    callFunction: jest.fn(async ({ name, data }: { name: string; data: { action: string; district?: string } }) => {
      if (name === 'resident' && data.action === 'listCommunities') {
        const items = data.district === '蜀山区' ? [{ communityId: 'org-c-340104-anjuyuan', name: '安居苑社区', township: '三里庵街道' }] : [];
        return { result: { ok: true, data: { items } } };
      }
      return { result: { ok: false, error: { code: 'TEST', message: '测试未提供' } } };
    }),
  };
});
afterAll(() => {
  T.cloud = savedCloud;
  process.env.TARO_ENV = 'h5';
});

function Form({ onValue }: { onValue: (v: CommunityChoice) => void }) {
  const [v, setV] = useState<CommunityChoice>({ district: '', communityId: '' });
  return (
    <CommunityPicker
      value={v}
      onChange={(next) => {
        setV(next);
        onValue(next);
      }}
    />
  );
}

test('a district, then one of its communities; a district without communities says who serves them', async () => {
  const seen: CommunityChoice[] = [];
  render(<Form onValue={(v) => seen.push(v)} />);
  await act(async () => {
    fireEvent.click(screen.getByText('蜀山区'));
  });
  await waitFor(() => expect(screen.getByText('安居苑社区')).toBeTruthy());
  expect(screen.getByText('三里庵街道')).toBeTruthy();
  expect(T.cloud.callFunction).toHaveBeenCalledWith({ name: 'resident', data: { action: 'listCommunities', district: '蜀山区' } });
  await act(async () => {
    fireEvent.click(screen.getByText('安居苑社区'));
  });
  expect(seen[seen.length - 1]).toEqual({ district: '蜀山区', communityId: 'org-c-340104-anjuyuan' });
  await act(async () => {
    fireEvent.click(screen.getByText('肥东县'));
  });
  expect(seen[seen.length - 1]).toEqual({ district: '肥东县', communityId: '' });
  expect(await screen.findByText('该区县暂未登记社区，由区县经办机构为您办理')).toBeTruthy();
});
