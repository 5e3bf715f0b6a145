import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { Public } from '#platform';
import { dashboardPage } from './dashboard.page.js';

/** `GET /dashboard`: the page API.md leaves open; the data behind it still needs the viewer's token. */
@Controller('dashboard')
export class DashboardController {
  @Public()
  @Get()
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  )
  page(): string {
    return dashboardPage;
  }
}
