import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'ic-home',
  templateUrl: './home.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Home {}
