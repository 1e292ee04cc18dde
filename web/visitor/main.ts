import '../common/zodConfig';
import { createApp, watchEffect } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { i18nPlugin, setLocale, currentLocale, t } from '../common/i18n';
import '../common/styles.css';

watchEffect(() => { document.title = t('visitor.documentTitle'); });
// Mounted once the start locale's catalogue is in, so the first paint is in the visitor's language.
void setLocale(currentLocale(), false).then(() => createApp(App).use(createPinia()).use(router).use(i18nPlugin).mount('#app'));
