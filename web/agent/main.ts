import '../common/zodConfig';
import { mountStaffApp } from '../common/staffApp';
import { router } from './router';
import { useSessionStore } from './stores/session';
import '../common/styles.css';

mountStaffApp(router, useSessionStore, 'agent');
