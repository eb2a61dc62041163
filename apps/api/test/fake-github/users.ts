/** Where the fake's links point: its own API (known once it listens) and the web pages. */
export interface FakeUrls {
  apiUrl: string;
  webUrl: string;
}

/** A user as GitHub embeds one in issues, comments and repositories. */
export function userJson(urls: FakeUrls, login: string) {
  return {
    login,
    id: 1000 + login.length,
    node_id: `U_fake_${login}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${1000 + login.length}?v=4`,
    url: `${urls.apiUrl}/users/${login}`,
    html_url: `${urls.webUrl}/${login}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}
