import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '#platform';
import { dashboardPage } from './dashboard.page.js';
import { dashboardScript } from './dashboard.script.js';
import { dashboardStyles } from './dashboard.styles.js';

/** Scripts, styles and reads from this origin only; nothing inline, nothing from elsewhere. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `GET /dashboard`: the page API.md leaves open; the data behind it still needs the viewer's token. */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  @Public()
  @Get()
  // API.md lists the page among the routes, open to anyone: /docs says so (openapi.ts PUBLIC_PATHS)
  @ApiOperation({
    summary:
      'The dashboard page (Vietnamese); it reads the API with the viewer token given in the link fragment #token=<jwt>',
  })
  @ApiQuery({
    name: 'campaign',
    type: String,
    required: false,
    description: 'the campaign the page opens on',
  })
  @ApiOkResponse({
    description: 'the page (<html lang="vi">)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  @Header('Referrer-Policy', 'no-referrer')
  page(): string {
    return dashboardPage;
  }

  @Public()
  @Get('app.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return dashboardScript;
  }

  @Public()
  @Get('app.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return dashboardStyles;
  }
}
