"""The portal's public face: home page figures, the 数据领域 and 工作台 pages, the
developer (数据接口) page and its OpenAPI description, about/help pages."""
