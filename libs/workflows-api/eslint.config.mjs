import baseConfig, { platformFree } from '../../eslint.config.mjs';

export default [...baseConfig, platformFree];
