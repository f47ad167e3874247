// Who is working in this tab: the API key and the person using it (kept in this tab's
// sessionStorage only), and the key's role once the API said it. Logging out starts a new
// generation, so an answer that arrives for the previous session is dropped.

const KEY = 'chorus-pro-api-key';
const PERSON = 'chorus-pro-person';

export const session = {
  /** `GET /v1/me` of the key: `{ keyId, role, connections }`. */
  me: undefined,
  generation: 0,
  key: () => sessionStorage.getItem(KEY),
  person: () => sessionStorage.getItem(PERSON),
  begin(key, person) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(PERSON, person);
  },
  end() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(PERSON);
    session.me = undefined;
    session.generation += 1;
  },
  /** Whether the key may answer tasks and cancel invoices (auditors read only, admins see connections). */
  isStaff: () => session.me?.role === 'staff',
};
