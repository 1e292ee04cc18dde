import './frameStorage'; // before any token is read: where the frame's storage is denied, the host page keeps it
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import EmbedApp from './EmbedApp.vue';
import { i18n, setLocale, currentLocale } from '../common/i18n';
import '../common/styles.css';
import './embed.css';

/**
 * The chat inside the widget's iframe (issue 19): the visitor app's store and chat view, without a router. It
 * validates nothing with zod (web/vite.config.ts drops the schemas domain/ modules build), so no zodConfig here.
 */
void setLocale(currentLocale(), false).then(() => createApp(EmbedApp).use(createPinia()).use(i18n).mount('#app'));
