import { type Routes } from '@angular/router';
import { HOME_URL } from './auth/return-url';
import { signedInGuard } from './auth/signed-in-guard';

export const appRoutes: Routes = [
  {
    path: 'sign-in',
    title: 'Sign in · Issuecast',
    loadComponent: () => import('./auth/sign-in-page').then((m) => m.SignInPage),
  },
  {
    path: '',
    canActivateChild: [signedInGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: HOME_URL },
      {
        path: 'runs',
        title: 'Your runs · Issuecast',
        loadComponent: () => import('./runs/runs-list/runs-list').then((m) => m.RunsList),
      },
      {
        path: 'runs/new',
        title: 'New run · Issuecast',
        loadComponent: () => import('./runs/new-run/new-run-page').then((m) => m.NewRunPage),
      },
      {
        path: 'runs/:workflowId',
        title: 'Run · Issuecast',
        loadComponent: () => import('./runs/run-page/run-page').then((m) => m.RunPage),
      },
    ],
  },
  { path: '**', redirectTo: HOME_URL },
];
