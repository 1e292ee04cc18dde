import '../common/zodConfig';
import { createApp, watchEffect } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18nPlugin, setLocale, currentLocale, t } from '../common/i18n';
import '../common/styles.css';

setLocale(currentLocale(), false);
watchEffect(() => { document.title = t('visitor.documentTitle'); });
createApp(App).use(createPinia()).use(router).use(i18nPlugin).mount('#app');
