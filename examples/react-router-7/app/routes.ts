import { index, type RouteConfig, route } from '@react-router/dev/routes';

export default [
  index('routes/home.tsx'),
  // A resource route (no component): every bridge route, /payments/start to /payments/notify/<broker>.
  route('payments/*', 'routes/payments.ts'),
] satisfies RouteConfig;
