import { serverDateOf } from '../../activities/chorus/server-date';

/** Chorus's time comes from the HTTP `Date` header of its answers (RFC 9110 §6.6.1). */
describe('serverDateOf', () => {
  it('reads the preferred form and the two obsolete ones', () => {
    const at = '2094-11-06T08:49:37.000Z';
    expect(serverDateOf({ date: 'Sat, 06 Nov 2094 08:49:37 GMT' })?.toISOString()).toBe(at);
    expect(serverDateOf({ date: 'Sunday, 06-Nov-94 08:49:37 GMT' })?.toISOString()).toBe(
      '1994-11-06T08:49:37.000Z',
    );
    expect(serverDateOf({ date: 'Sat Nov  6 08:49:37 2094' })?.toISOString()).toBe(at);
  });

  it('tells nothing when the header is absent, empty, not a date or self-contradicting', () => {
    expect(serverDateOf({})).toBeUndefined();
    expect(serverDateOf({ date: '  ' })).toBeUndefined();
    expect(serverDateOf({ date: 'yesterday' })).toBeUndefined();
    expect(serverDateOf({ date: '2094-11-06T08:49:37Z' })).toBeUndefined();
    // The 6th of November 2094 is a Saturday.
    expect(serverDateOf({ date: 'Fri, 06 Nov 2094 08:49:37 GMT' })).toBeUndefined();
  });
});
