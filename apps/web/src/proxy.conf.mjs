// `npm run dev` hands the API's port over as API_PORT, because the dev server itself listens on PORT.
const apiPort = process.env.API_PORT ?? '3000';

export default {
  '/api': {
    target: `http://127.0.0.1:${apiPort}`,
    secure: false,
    changeOrigin: false,
  },
};
