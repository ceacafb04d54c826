/** Links between staff pages that carry a found person along (never an ID number). */

/** 更正所属社区 for a person found in 证件材料审核 or 现金收缴. */
export const personCommunityUrl = (p: { personId: string; name: string; district: string | null; community: string | null }): string =>
  `/staff/pages/person-community/index?personId=${p.personId}&name=${encodeURIComponent(p.name)}&district=${encodeURIComponent(p.district ?? '')}&community=${encodeURIComponent(p.community ?? '')}`;
